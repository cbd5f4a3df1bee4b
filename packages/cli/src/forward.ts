import type { RelayAttemptReportInput, RelayDelivery } from "@/contracts/relay";

/** As much of the local answer's body as an attempt keeps. */
const MAX_BODY_CHARS = 64 * 1024;

/**
 * POSTs a handed-out delivery to the local receiver with its body and headers as received (so the
 * receiver's signature check works unchanged), waiting for the answer as long as the hook's timeout
 * (as a runner would; the hand-out's lease is that plus a margin), and describes the outcome as the
 * report the server records: the answer, or why none came.
 */
export async function forwardDelivery(
  delivery: RelayDelivery,
  forwardUrl: string,
): Promise<RelayAttemptReportInput> {
  const { timeoutMs } = delivery;
  const timestamp = Number(delivery.headers["webhook-timestamp"]);
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const response = await fetch(forwardUrl, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return {
      attempt: delivery.attempt,
      timestamp,
      durationMs: elapsed(),
      response: {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: body.slice(0, MAX_BODY_CHARS),
      },
    };
  } catch (error) {
    return {
      attempt: delivery.attempt,
      timestamp,
      durationMs: elapsed(),
      error: describeFailure(error, timeoutMs),
    };
  }
}

function describeFailure(error: unknown, timeoutMs: number): NonNullable<RelayAttemptReportInput["error"]> {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { class: "timeout", message: `no answer within ${timeoutMs} ms` };
  }
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  const code = cause?.code ?? "";
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { class: "dns", message };
  if (/CERT|SSL|TLS/i.test(code)) return { class: "tls", message };
  return { class: "refused", message };
}
