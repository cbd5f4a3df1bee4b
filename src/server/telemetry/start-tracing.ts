import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  defaultResource,
  envDetector,
  detectResources,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { DURIAN_VERSION } from "@/core/delivery/user-agent";
import type { TracingSettings } from "./tracing-settings";

// The OpenTelemetry SDK, imported only (dynamically) when OTEL_* asks for traces: see
// src/instrumentation.ts. Everything else in Durian uses the API alone (tracing.ts).

export interface Tracing {
  /** Exports what is buffered and stops; spans made afterwards are dropped. */
  shutdown(): Promise<void>;
}

/** Exporters named by OTEL_TRACES_EXPORTER; the OTLP one reads OTEL_EXPORTER_OTLP_* itself. */
function exportersFor(settings: TracingSettings): SpanExporter[] {
  return settings.exporters.map((kind) =>
    kind === "otlp" ? new OTLPTraceExporter() : new ConsoleSpanExporter(),
  );
}

/**
 * Installs a tracer provider for the process: a resource named by OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES (service.name "durian" otherwise), the sampler of OTEL_TRACES_SAMPLER,
 * batched export (OTEL_BSP_*), async-local context, and W3C trace context for incoming requests.
 * Tests pass their own exporter, exported at once.
 */
export function startTracing(options: { settings: TracingSettings } | { exporter: SpanExporter }): Tracing {
  const processors: SpanProcessor[] =
    "exporter" in options
      ? [new SimpleSpanProcessor(options.exporter)]
      : exportersFor(options.settings).map((exporter) => new BatchSpanProcessor(exporter));
  const resource = defaultResource()
    .merge(resourceFromAttributes({ "service.name": "durian", "service.version": DURIAN_VERSION }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: processors });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
