import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { AttemptRecord } from "@/server/services/deliveries-read";
import { BodyView } from "./body-view";
import { formatDuration } from "./format";
import { HeadersList } from "./headers-list";
import { Timestamp } from "./timestamp";

/** What each error class means, for people who have not read the delivery docs. */
const ERROR_CLASS_HINTS: Record<string, string> = {
  timeout: "No complete answer within the hook's timeout.",
  dns: "The host name did not resolve.",
  refused: "Nothing accepted the connection.",
  tls: "The TLS handshake or certificate failed.",
  blocked: "Refused before connecting: a private, loopback or disabled destination.",
  http: "The receiver answered with a status other than 2xx.",
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-4">
      <dt className="w-36 shrink-0 text-sm text-zinc-600">{label}</dt>
      <dd className="min-w-0 text-sm break-words text-zinc-900">{children}</dd>
    </div>
  );
}

export function attemptOutcomeTone(attempt: AttemptRecord) {
  if (attempt.errorClass === null && attempt.responseStatus !== null) return "good" as const;
  return attempt.errorClass === "http" ? ("warn" as const) : ("bad" as const);
}

export function attemptOutcomeLabel(attempt: AttemptRecord): string {
  if (attempt.responseStatus !== null) return String(attempt.responseStatus);
  return attempt.errorClass ?? "no answer";
}

/** One attempt of a delivery: the request sent, the response (or error), and what happens next. */
export function AttemptDetail({ attempt, headingId }: { attempt: AttemptRecord; headingId: string }) {
  return (
    <article aria-labelledby={headingId} className="space-y-5">
      <h3 id={headingId} className="flex flex-wrap items-center gap-2 text-base font-semibold">
        Attempt {attempt.number}
        <Badge tone={attemptOutcomeTone(attempt)}>{attemptOutcomeLabel(attempt)}</Badge>
      </h3>
      <dl className="space-y-2">
        <Row label="Started">
          <Timestamp value={attempt.startedAt} />
        </Row>
        <Row label="Duration">{formatDuration(attempt.durationMs)}</Row>
        <Row label="Response status">{attempt.responseStatus ?? "No response"}</Row>
        {attempt.errorClass && (
          <Row label="Error">
            <span className="font-medium">{attempt.errorClass}</span>
            {attempt.errorMessage && <span>: {attempt.errorMessage}</span>}
            {ERROR_CLASS_HINTS[attempt.errorClass] && (
              <span className="block text-xs text-zinc-600">{ERROR_CLASS_HINTS[attempt.errorClass]}</span>
            )}
          </Row>
        )}
        <Row label="Next attempt">
          {attempt.nextAttemptAt ? (
            <Timestamp value={attempt.nextAttemptAt} />
          ) : (
            "None scheduled after this one"
          )}
        </Row>
      </dl>

      <section aria-label={`Request of attempt ${attempt.number}`} className="space-y-2">
        <h4 className="text-sm font-semibold text-zinc-900">Request</h4>
        <p className="font-mono text-xs break-all text-zinc-800">POST {attempt.requestUrl}</p>
        <HeadersList
          headers={attempt.requestHeaders}
          label={`Request headers of attempt ${attempt.number}`}
        />
        <BodyView body={attempt.requestBody} label={`Request body of attempt ${attempt.number}`} />
      </section>

      <section aria-label={`Response of attempt ${attempt.number}`} className="space-y-2">
        <h4 className="text-sm font-semibold text-zinc-900">Response</h4>
        {attempt.responseStatus === null ? (
          <p className="text-sm text-zinc-600">No response was received.</p>
        ) : (
          <>
            <HeadersList
              headers={attempt.responseHeaders}
              label={`Response headers of attempt ${attempt.number}`}
            />
            <BodyView
              body={attempt.responseBody}
              label={`Response body of attempt ${attempt.number}`}
              note="first 64 KB"
            />
          </>
        )}
      </section>
    </article>
  );
}
