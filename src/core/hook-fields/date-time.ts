/** RFC 3339 date-time, what JSON Schema's `date-time` format means: the type of a hook's timestamp fields. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The instant a date-time string names, in milliseconds since the epoch; NaN for anything else. */
export function dateTimeMillis(value: unknown): number {
  if (typeof value !== "string" || !DATE_TIME.test(value)) return NaN;
  return Date.parse(value.toUpperCase().replace(" ", "T"));
}

export function isDateTime(value: unknown): value is string {
  return !Number.isNaN(dateTimeMillis(value));
}
