"use client";

import { ChevronRight } from "lucide-react";
import { useCallback, useRef, useState } from "react";
import { BodyView } from "@/components/deliveries/body-view";
import { formatBytes } from "@/components/deliveries/format";
import { HeadersList } from "@/components/deliveries/headers-list";
import { Timestamp } from "@/components/deliveries/timestamp";
import { usePolling } from "@/components/deliveries/use-polling";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import type { InspectorRequestRecord } from "@/server/services/inspector";
import { useTRPCClient } from "@/trpc/react";
import { mergeNewest } from "./merge-requests";

/** New requests show up within two polls. */
const POLL_INTERVAL_MS = 1000;

function SignatureBadge({ verified }: { verified: boolean | null }) {
  if (verified === true) return <Badge tone="good">Signature verified</Badge>;
  if (verified === false) return <Badge tone="bad">Signature not verified</Badge>;
  return <Badge tone="neutral">Signature not checked</Badge>;
}

export function InspectorRequests({
  projectId,
  initialRequests,
  keep,
}: {
  projectId: string;
  initialRequests: InspectorRequestRecord[];
  /** How many requests the inspector keeps. */
  keep: number;
}) {
  const client = useTRPCClient();
  const [requests, setRequests] = useState(initialRequests);
  const [waiting, setWaiting] = useState<InspectorRequestRecord[]>([]);
  const [live, setLive] = useState(true);
  const newest = useRef<Date | undefined>(initialRequests[0]?.receivedAt);
  const list = useRef<HTMLDivElement>(null);

  const poll = useCallback(async () => {
    try {
      const arrived = await client.inspector.requests.query({ projectId, since: newest.current });
      setLive(true);
      if (arrived.length === 0) return;
      const newestArrival = arrived[0]!.receivedAt;
      if (!newest.current || newestArrival > newest.current) newest.current = newestArrival;
      // Someone reading further down keeps their place: new requests wait until asked for.
      const readerAtTop = (list.current?.getBoundingClientRect().top ?? 0) > -40;
      if (readerAtTop) {
        setRequests((shown) => mergeNewest(shown, [...waiting, ...arrived], keep));
        setWaiting([]);
      } else {
        setWaiting((queued) => mergeNewest(queued, arrived, keep));
      }
    } catch {
      setLive(false);
    }
  }, [client, projectId, keep, waiting]);
  usePolling(poll, POLL_INTERVAL_MS);

  function showWaiting() {
    setRequests((shown) => mergeNewest(shown, waiting, keep));
    setWaiting([]);
    list.current?.scrollIntoView();
  }

  return (
    <Card
      title="Received requests"
      titleId="inspector-requests-heading"
      actions={
        <p aria-live="polite" className="flex h-8 items-center gap-2 text-xs text-zinc-700">
          <span
            aria-hidden
            className={`inline-block size-2 rounded-full ${live ? "bg-green-600" : "bg-amber-500"}`}
          />
          {live ? `Live · newest first · the latest ${keep} are kept` : "Connection lost; retrying…"}
        </p>
      }
    >
      <div ref={list}>
        {/* Always the same height, so the list below does not move when it changes. */}
        <div className="flex h-11 items-center px-4 text-xs text-zinc-600">
          {waiting.length > 0 ? (
            <Button type="button" variant="secondary" className="min-h-8 py-1" onClick={showWaiting}>
              Show {waiting.length} new {waiting.length === 1 ? "request" : "requests"}
            </Button>
          ) : (
            "Requests appear here as they arrive. Open one to see its headers and body."
          )}
        </div>
        {requests.length === 0 ? (
          <div className="px-4 pb-6 text-sm text-zinc-700">
            <p className="font-medium text-zinc-900">Nothing received yet.</p>
            <p className="mt-1">
              Create a listener that sends here (above), then send an event to its hook. Or try it with curl:
            </p>
            <CodeBlock
              className="mt-2"
              label="curl command"
              code={`curl -X POST -H 'content-type: application/json' -d '{"hello":"inspector"}' <inspector URL>`}
            />
          </div>
        ) : (
          <ul
            aria-label="Received requests, newest first"
            className="divide-y divide-zinc-100 border-t border-zinc-200"
          >
            {requests.map((request) => (
              <li key={request.id} data-request-id={request.id}>
                <details className="group">
                  <summary className="flex h-12 cursor-pointer list-none items-center gap-3 px-4 hover:bg-zinc-50 [&::-webkit-details-marker]:hidden">
                    <ChevronRight
                      aria-hidden
                      className="size-4 shrink-0 text-zinc-500 transition-transform group-open:rotate-90"
                    />
                    <span className="w-14 shrink-0 font-mono text-xs font-semibold">{request.method}</span>
                    <span className="hidden w-40 shrink-0 text-xs sm:block">
                      <Timestamp value={request.receivedAt} />
                    </span>
                    <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-700">
                      {request.headers["durian-hook"] ?? request.headers["content-type"] ?? ""}
                    </span>
                    <SignatureBadge verified={request.signatureVerified} />
                  </summary>
                  <div className="space-y-3 px-4 pt-1 pb-4">
                    <p className="text-xs text-zinc-600 sm:hidden">
                      <Timestamp value={request.receivedAt} />
                    </p>
                    <h3 className="text-sm font-semibold">Headers</h3>
                    <HeadersList headers={request.headers} label="Request headers" />
                    <h3 className="text-sm font-semibold">Body</h3>
                    <BodyView
                      body={request.body}
                      label="Request body"
                      note={
                        request.bodySize > request.body.length
                          ? `first ${formatBytes(new TextEncoder().encode(request.body).length)} of ${formatBytes(request.bodySize)}`
                          : formatBytes(request.bodySize)
                      }
                    />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
