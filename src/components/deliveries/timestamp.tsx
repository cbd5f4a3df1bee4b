"use client";

import { useSyncExternalStore } from "react";

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
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
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
