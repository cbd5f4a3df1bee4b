"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { formatDateTime, formatRelative } from "@/components/format";

const noSubscription = () => () => {};

const localFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const localTimeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const localShortFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const utcFormat = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/**
 * A point in time in the reader's time zone. The server does not know that zone, so the first render
 * (server and hydration) shows UTC and the browser then switches to local time.
 */
function isToday(date: Date): boolean {
  return date.toDateString() === new Date().toDateString();
}

function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** Relative times ("2 minutes ago") are brought up to date this often. */
const RELATIVE_REFRESH_MS = 15_000;

function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), RELATIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * When something happened, on two lines: how long ago, and below it the day and time (the whole date
 * in the tooltip). A bare "00:19:14" leaves the reader guessing which day. Like `Timestamp`, the
 * server's render shows UTC until the browser knows the reader's zone.
 */
export function AgeAndTimestamp({ value }: { value: Date | string }) {
  const inBrowser = useInBrowser();
  const now = useNow();
  const date = new Date(value);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={inBrowser ? formatDateTime(date) : iso} className="block leading-4">
      <span className="block truncate">{inBrowser ? formatRelative(date, now) : "\u00a0"}</span>
      <span className="block truncate text-xs text-zinc-600 tabular-nums">
        {inBrowser ? localFormat.format(date) : `${utcFormat.format(date)} UTC`}
      </span>
    </time>
  );
}

export function Timestamp({
  value,
  empty = "—",
  compact = false,
}: {
  value: Date | string | null | undefined;
  empty?: string;
  /** For narrow columns: the time alone today, else the day and minute. */
  compact?: boolean;
}) {
  const inBrowser = useInBrowser();
  if (value == null) return <span className="text-zinc-600">{empty}</span>;
  const date = new Date(value);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso} className="tabular-nums">
      {!inBrowser
        ? `${utcFormat.format(date)} UTC`
        : compact
          ? (isToday(date) ? localTimeFormat : localShortFormat).format(date)
          : localFormat.format(date)}
    </time>
  );
}
