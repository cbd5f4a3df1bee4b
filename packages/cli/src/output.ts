/** Where the commands write: lines for people (and for scripts reading stdout line by line). */
export interface Output {
  /** One line of the command's results, on stdout. */
  line(text: string): void;
  /** Progress and trouble, on stderr. */
  note(text: string): void;
}

export const consoleOutput: Output = {
  line: (text) => process.stdout.write(`${text}\n`),
  note: (text) => process.stderr.write(`${text}\n`),
};

/** A time as `2026-12-02 11:04:05.123` (UTC), so lines line up and sort. */
export function timeOf(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** The columns of a delivery line: time, hook, event id, outcome, duration, then anything else. */
export function deliveryLine(columns: {
  time: Date;
  hook: string;
  eventId: string;
  outcome: string;
  durationMs: number | null;
  extra?: string;
}): string {
  const duration = columns.durationMs === null ? "-" : `${columns.durationMs} ms`;
  return [timeOf(columns.time), columns.hook, columns.eventId, columns.outcome, duration, columns.extra ?? ""]
    .join("  ")
    .trimEnd();
}
