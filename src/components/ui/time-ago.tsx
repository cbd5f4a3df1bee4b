import { formatDateTime, formatRelative } from "@/components/format";

/** A relative time ("3 minutes ago") with the exact time as its machine-readable value and tooltip. */
export function TimeAgo({ date }: { date: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)} className="whitespace-nowrap">
      {formatRelative(date)}
    </time>
  );
}
