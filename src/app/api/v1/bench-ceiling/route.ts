import { notFoundResponse } from "@/server/rest/dispatch";

/**
 * The ceiling `npm run bench:ingest` compares the ingest route with: the same app, reading the body
 * and answering 202, without authentication or the database. It exists only while the benchmark
 * sets DURIAN_BENCH_CEILING=1; otherwise it is an unknown route like any other.
 */
export async function POST(request: Request): Promise<Response> {
  if (process.env.DURIAN_BENCH_CEILING !== "1") return notFoundResponse(request);
  await request.text();
  return Response.json({ eventId: "bench-ceiling", matched: 0 }, { status: 202 });
}
