import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import nextConfig from "../../../next.config.js";
import { startTracing } from "@/server/telemetry/start-tracing";
import { API_RESPONSE_HEADERS, serveApiRequest } from "./serve";

// What the server entry's /api/v1 handler adds to the dispatcher: what Next did for these requests
// while it routed them (the security headers, the server span), and the benchmark's ceiling.

const ORIGIN = "http://127.0.0.1:3000";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the server's /api/v1 handler", () => {
  it("sends the security headers next.config.js gives every path outside the portal", async () => {
    const rules = ((await nextConfig.headers?.()) ?? []).filter((rule) => !rule.source.startsWith("/portal"));
    const configured = Object.fromEntries(
      rules.flatMap((rule) => rule.headers.map(({ key, value }) => [key.toLowerCase(), value])),
    );
    expect(Object.keys(configured)).not.toHaveLength(0);
    expect(API_RESPONSE_HEADERS).toEqual(configured);

    for (const response of [
      await serveApiRequest(new Request(`${ORIGIN}/api/v1/openapi.json`)),
      await serveApiRequest(new Request(`${ORIGIN}/api/v1/no-such-thing`)),
    ]) {
      for (const [name, value] of Object.entries(configured)) expect(response.headers.get(name)).toBe(value);
    }
  });

  it("serves the benchmark's ceiling only while DURIAN_BENCH_CEILING=1", async () => {
    const ceiling = () =>
      serveApiRequest(new Request(`${ORIGIN}/api/v1/bench-ceiling`, { method: "POST", body: "{}" }));

    const unknown = await ceiling();
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");

    vi.stubEnv("DURIAN_BENCH_CEILING", "1");
    const answered = await ceiling();
    expect(answered.status).toBe(202);
    expect(await answered.json()).toEqual({ eventId: "bench-ceiling", matched: 0 });
  });

  it("makes a server span per request, named by the operation, continuing the caller's traceparent", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ exporter });
    try {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const callerSpanId = "00f067aa0ba902b7";
      const response = await serveApiRequest(
        new Request(`${ORIGIN}/api/v1/hooks/order.created/events`, {
          method: "POST",
          headers: { traceparent: `00-${traceId}-${callerSpanId}-01`, "content-type": "application/json" },
          body: "{}",
        }),
      );
      expect(response.status).toBe(401);

      const [span, ...others] = exporter.getFinishedSpans();
      expect(others).toHaveLength(0);
      expect(span?.name).toBe("POST /api/v1/hooks/{name}/events");
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.parentSpanContext?.spanId).toBe(callerSpanId);
      expect(span?.attributes).toMatchObject({
        "http.request.method": "POST",
        "http.route": "/api/v1/hooks/{name}/events",
        "url.path": "/api/v1/hooks/order.created/events",
        "http.response.status_code": 401,
      });
    } finally {
      await tracing.shutdown();
    }
  });
});
