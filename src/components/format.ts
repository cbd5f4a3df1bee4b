/** Display helpers shared by the dashboard's pages. */

export function formatPercent(ratio: number | null): string {
  if (ratio === null) return "—";
  const percent = ratio * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export function formatDateTime(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** "3 minutes ago", "in 20 seconds". */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const difference = date.getTime() - now.getTime();
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, ms] of RELATIVE_UNITS) {
    if (Math.abs(difference) >= ms || unit === "second")
      return format.format(Math.round(difference / ms), unit);
  }
  return format.format(0, "second");
}

/** A compact one-line JSON preview of a payload, cut at `max` characters. */
export function previewJson(value: unknown, max = 120): string {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
