import { getDb } from "@/server/db/client";
import { isDatabaseUnavailable, DATABASE_RETRY_AFTER_SECONDS } from "@/server/db/unavailable";
import { env } from "@/server/env";
import { existingRunner } from "@/server/runner";
import { EmbeddedRunner } from "@/server/runner/embedded";
import { scrape } from "@/server/telemetry/scrape";

// Prometheus metrics, for a scraper holding DURIAN_METRICS_TOKEN (see README: Metrics and traces).

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const answer = await scrape({
      token: env().DURIAN_METRICS_TOKEN,
      authorization: request.headers.get("authorization"),
      db: getDb,
      slots: () => {
        const runner = existingRunner();
        return runner instanceof EmbeddedRunner ? runner.slots : null;
      },
    });
    return new Response(answer.body, {
      status: answer.status,
      headers: {
        "cache-control": "no-store",
        "content-type": "text/plain; charset=utf-8",
        ...answer.headers,
      },
    });
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return new Response("Database unavailable\n", {
      status: 503,
      headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  }
}
