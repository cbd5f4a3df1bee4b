/** A body as people want to read it: JSON indented when it parses, anything else as received. */
export function prettyBody(body: string): { text: string; json: boolean } {
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
    } catch {
      // Not JSON after all: shown as received.
    }
  }
  return { text: body, json: false };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A one-line preview of a JSON value for tables. */
export function jsonPreview(value: unknown, maxLength = 120): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
