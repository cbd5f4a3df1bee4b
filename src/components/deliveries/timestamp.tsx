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
export function Timestamp({ value, empty = "—" }: { value: Date | string | null | undefined; empty?: string }) {
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  if (value == null) return <span className="text-zinc-600">{empty}</span>;
  const date = new Date(value);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso} className="tabular-nums">
      {inBrowser ? localFormat.format(date) : `${utcFormat.format(date)} UTC`}
    </time>
  );
}
