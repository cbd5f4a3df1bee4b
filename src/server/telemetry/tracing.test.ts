import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import { startReceiver, type TestReceiver } from "@/testing/receiver";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook, seedListener } from "@/testing/seed";
import { EmbeddedRunner } from "@/server/runner/embedded";
import { memoryLog, waitUntil } from "@/testing/runner";
import { sendEvent } from "@/server/services/events/send-event";
import { startTracing, type Tracing } from "./start-tracing";
import { tracingSettings } from "./tracing-settings";

// A trace through the real path: the event accepted by the service, matched and delivered by a real
// embedded runner to a real receiver on 127.0.0.1, the spans exported to memory.

let database: TestDatabase;
let target: TestReceiver;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  [database, target] = await Promise.all([createTestDatabase(), startReceiver()]);
  tracing = startTracing({ exporter });
});
afterAll(async () => {
  await tracing.shutdown();
  await Promise.all([database.drop(), target.close()]);
});

function spanNamed(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe("traces", () => {
  it("follow an event from its acceptance through matching to the attempt, and the receiver joins them", async () => {
    const hook = await seedHook(database.db);
    const { listenerId } = await seedListener(database.db, hook, { url: `${target.url}/hook` });
    const runner = new EmbeddedRunner({
      db: database.db,
      allowlist: parseAllowlist("127.0.0.1"),
      concurrency: 5,
      listenerConcurrency: 5,
      pollIntervalMs: 50,
      log: memoryLog(),
    });
    await runner.start();
    try {
      const { result } = await sendEvent(
        hook.projectId,
        hook.hookName,
        { payload: { name: "Ada" } },
        {},
        { db: database.db, runner },
      );
      await waitUntil("the receiver got the delivery", () => target.requests.length === 1);
      await waitUntil("the attempt's span ended", () =>
        exporter.getFinishedSpans().some((span) => span.name === "durian.delivery.attempt"),
      );

      const spans = exporter.getFinishedSpans();
      const accept = spanNamed(spans, "durian.event.accept");
      const page = spanNamed(spans, "durian.fan_out.page");
      const attempt = spanNamed(spans, "durian.delivery.attempt");
      const traceId = accept.spanContext().traceId;
      expect(accept.attributes).toMatchObject({
        "durian.event.id": result.eventId,
        "durian.hook.name": hook.hookName,
      });
      for (const later of [page, attempt]) {
        expect(later.spanContext().traceId).toBe(traceId);
        expect(later.parentSpanContext?.spanId).toBe(accept.spanContext().spanId);
      }
      expect(page.attributes).toMatchObject({
        "durian.fan_out.deliveries": 1,
        "durian.fan_out.last_page": true,
      });
      expect(attempt.kind).toBe(SpanKind.CLIENT);
      expect(attempt.attributes).toMatchObject({
        "durian.listener.id": listenerId,
        "durian.delivery.outcome": "succeeded",
        "http.request.method": "POST",
        "http.response.status_code": 200,
        "url.full": `${target.url}/hook`,
      });

      // The receiver's request names the attempt's span in the same trace.
      expect(target.requests[0]!.headers.traceparent).toBe(
        `00-${traceId}-${attempt.spanContext().spanId}-01`,
      );
      const event = await database.db.event.findUniqueOrThrow({ where: { id: result.eventId } });
      expect(event.traceparent).toBe(`00-${traceId}-${accept.spanContext().spanId}-01`);
    } finally {
      await runner.stop();
    }
  });
});

describe("tracingSettings", () => {
  it("is off unless an exporter or an OTLP endpoint is named, and names what it cannot export with", () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_SERVICE_NAME: "durian-eu" })).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toEqual({
      exporters: ["otlp"],
    });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: "console,otlp" })).toEqual({
      exporters: ["console", "otlp"],
    });
    expect(
      tracingSettings({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }),
    ).toBeNull();
    expect(tracingSettings({ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" })).toBeNull();
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(
      /OTEL_TRACES_EXPORTER: .*otlp, console, none; got zipkin/,
    );
  });
});
