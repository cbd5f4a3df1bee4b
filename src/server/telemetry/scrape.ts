import { timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { refreshScrapeGauges, type RunnerSlots } from "./backlog";
import { metrics } from "./metrics";

export type ScrapeAnswer =
  | { status: 404 | 401; body: string; headers?: Record<string, string> }
  | { status: 200; body: string; headers: Record<string, string> };

/** A bearer token equal to `expected`, compared in constant time. */
export function bearerTokenMatches(authorization: string | null, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `GET /api/metrics`: Prometheus' text format for a scraper holding `DURIAN_METRICS_TOKEN`. Without a
 * configured token the endpoint does not exist (404), so metrics are never public by accident.
 */
export async function scrape(input: {
  token: string | undefined;
  authorization: string | null;
  db: () => PrismaClient;
  slots: () => RunnerSlots | null;
  now?: Date;
}): Promise<ScrapeAnswer> {
  if (!input.token) return { status: 404, body: "Not found: set DURIAN_METRICS_TOKEN to serve metrics\n" };
  if (!bearerTokenMatches(input.authorization, input.token)) {
    return {
      status: 401,
      body: "Unauthorized: send Authorization: Bearer <DURIAN_METRICS_TOKEN>\n",
      headers: { "www-authenticate": 'Bearer realm="durian-metrics"' },
    };
  }
  await refreshScrapeGauges(input.db(), { now: input.now ?? new Date(), slots: input.slots() });
  const { registry } = metrics();
  return { status: 200, body: await registry.metrics(), headers: { "content-type": registry.contentType } };
}
