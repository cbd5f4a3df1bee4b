"use client";

import Link from "next/link";
import { useState } from "react";
import { jsonPreview } from "@/components/deliveries/format";
import { Timestamp } from "@/components/deliveries/timestamp";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { EventLogEntry } from "@/server/services/delivery-log";
import { useTRPCClient } from "@/trpc/react";

type Page = { items: EventLogEntry[]; nextCursor: string | null };

export function EventList({
  projectId,
  hook,
  initialPage,
}: {
  projectId: string;
  hook?: string;
  initialPage: Page;
}) {
  const client = useTRPCClient();
  const [events, setEvents] = useState(initialPage.items);
  const [nextCursor, setNextCursor] = useState(initialPage.nextCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function loadOlder() {
    if (!nextCursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await client.event.list.query({ projectId, hook, cursor: nextCursor });
      setEvents((shown) => [...shown, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Could not load older events");
    } finally {
      setLoading(false);
    }
  }

  if (events.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 text-center text-sm text-zinc-700">
        <p className="font-medium text-zinc-900">No events {hook ? `for ${hook}` : "yet"}</p>
        <p className="mt-1">
          Your app sends an event with the SDK (<code className="font-mono">hook.send(payload)</code>) or with{" "}
          <code className="font-mono">POST /api/v1/hooks/&lt;name&gt;/events</code>. Each hook’s page has a
          snippet to copy.
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white">
        <table className="w-full table-fixed text-left text-sm" aria-label="Events, newest first">
          <colgroup>
            <col className="w-28" />
            <col className="w-32 sm:w-44" />
            <col className="hidden sm:table-column" />
            <col className="w-28" />
          </colgroup>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-700">
            <tr className="h-9">
              <th scope="col" className="px-3">
                Sent
              </th>
              <th scope="col" className="px-2">
                Hook
              </th>
              <th scope="col" className="hidden px-2 sm:table-cell">
                Payload
              </th>
              <th scope="col" className="px-3 text-right">
                Deliveries
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {events.map((event) => (
              <tr key={event.id} className="relative h-12 hover:bg-zinc-50" data-event-id={event.id}>
                <td className="truncate px-3">
                  <Link
                    href={`/projects/${projectId}/events/${event.id}`}
                    className="after:absolute after:inset-0 hover:underline focus-visible:outline-offset-[-2px]"
                  >
                    <span className="sr-only">Event of {event.hook} sent </span>
                    <Timestamp value={event.createdAt} compact />
                  </Link>
                </td>
                <td className="truncate px-2 font-mono text-xs" title={event.hook}>
                  {event.hook}
                </td>
                <td className="hidden truncate px-2 font-mono text-xs text-zinc-700 sm:table-cell">
                  {jsonPreview(event.payload)}
                </td>
                <td className="px-3 text-right text-xs tabular-nums">
                  <DeliveryTally tally={event.deliveries} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex min-h-10 flex-wrap items-center gap-3">
        {nextCursor ? (
          <Button type="button" variant="secondary" busy={loading} onClick={loadOlder}>
            Load older events
          </Button>
        ) : (
          <p className="text-sm text-zinc-600">That is the oldest event.</p>
        )}
        <FormError message={error} />
      </div>
    </div>
  );
}

function DeliveryTally({ tally }: { tally: EventLogEntry["deliveries"] }) {
  if (tally.total === 0) return <span className="text-zinc-600">none matched</span>;
  const unfinished = tally.total - tally.succeeded - tally.failed;
  return (
    <span>
      {tally.total}
      {tally.failed > 0 && <span className="text-red-800"> · {tally.failed} failed</span>}
      {unfinished > 0 && <span className="text-zinc-600"> · {unfinished} open</span>}
    </span>
  );
}
