import {
  type Attributes,
  context,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { DURIAN_VERSION } from "@/core/delivery/user-agent";

// Durian's spans, written against the OpenTelemetry API only. Without a tracer provider (no OTEL_*
// exporter configured, see start-tracing.ts) every call here is the API's no-op: spans record
// nothing and no traceparent is made up.

/** The instrumentation scope of every span Durian makes. */
export const TRACER_NAME = "durian";

/** The W3C Trace Context format, used directly rather than through a global propagator. */
const w3c = new W3CTraceContextPropagator();

const tracer = () => trace.getTracer(TRACER_NAME, DURIAN_VERSION);

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /**
   * A stored `traceparent` to continue (an event's, accepted earlier, perhaps in another process);
   * without it the span is a child of whatever span is active.
   */
  traceparent?: string | null;
}

/** Runs `work` in a new active span, ended when `work` settles; an error marks the span failed. */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.traceparent ? contextOf(options.traceparent) : context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : undefined,
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The `traceparent` header naming `span` (the active span by default), or null when there is none to name. */
export function traceparentOf(span: Span | undefined = trace.getActiveSpan()): string | null {
  if (!span) return null;
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(context.active(), span), carrier, {
    set: (target, key, value) => void (target[key] = value),
  });
  return carrier.traceparent ?? null;
}

function contextOf(traceparent: string): Context {
  return w3c.extract(
    context.active(),
    { traceparent },
    {
      get: (carrier, key) => carrier[key as keyof typeof carrier],
      keys: (carrier) => Object.keys(carrier),
    },
  );
}

export { SpanKind, SpanStatusCode, type Span };
