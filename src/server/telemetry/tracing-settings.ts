/**
 * Whether traces are exported, read from the standard OpenTelemetry variables. Off unless an exporter
 * or an OTLP endpoint is named, so that an unconfigured Durian never loads the SDK.
 */

export type TraceExporterKind = "otlp" | "console";

export interface TracingSettings {
  exporters: TraceExporterKind[];
}

const SUPPORTED_EXPORTERS = ["otlp", "console", "none"] as const;

export class TracingSettingsError extends Error {
  override name = "TracingSettingsError";
}

/** null: tracing is off (nothing is loaded, every span is the API's no-op). */
export function tracingSettings(source: Record<string, string | undefined>): TracingSettings | null {
  const value = (name: string) => source[name]?.trim() || undefined;
  if (value("OTEL_SDK_DISABLED")?.toLowerCase() === "true") return null;
  const named = value("OTEL_TRACES_EXPORTER");
  const endpoint = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? value("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!named && !endpoint) return null;
  const exporters = (named ?? "otlp")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const unknown = exporters.filter((entry) => !(SUPPORTED_EXPORTERS as readonly string[]).includes(entry));
  if (unknown.length > 0) {
    throw new TracingSettingsError(
      `OTEL_TRACES_EXPORTER: Durian exports traces with ${SUPPORTED_EXPORTERS.join(", ")}; got ${unknown.join(", ")}`,
    );
  }
  if (exporters.includes("none")) return null;
  return { exporters: [...new Set(exporters)] as TraceExporterKind[] };
}

/** What stops the process's tracing (exporting what is buffered), once started. */
export interface RunningTracing {
  shutdown(): Promise<void>;
}

const holder = globalThis as typeof globalThis & { __durianTracing?: RunningTracing };

export function setRunningTracing(tracing: RunningTracing): void {
  holder.__durianTracing = tracing;
}

/** Exports the spans still buffered and stops tracing; nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const tracing = holder.__durianTracing;
  holder.__durianTracing = undefined;
  await tracing?.shutdown();
}
