"use client";

import Link from "next/link";
import { useState } from "react";
import { jsonPreview } from "@/components/deliveries/format";
import { Timestamp } from "@/components/deliveries/timestamp";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { EventSummary } from "@/server/services/deliveries-read";
import { useTRPCClient } from "@/trpc/react";

type Page = { items: EventSummary[]; nextCursor: string | null };

export function EventList({ projectId, hook, initialPage }: { projectId: string; hook?: string; initialPage: Page }) {
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
          <code className="font-mono">POST /api/v1/hooks/&lt;name&gt;/events</code>. Each hook’s page has a snippet to copy.
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <ul aria-label="Events, newest first" className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200 bg-white">
        {events.map((event) => (
          <li key={event.id} className="relative grid h-16 grid-cols-[1fr_auto] items-center gap-x-3 px-4 hover:bg-zinc-50 sm:grid-cols-[9rem_12rem_1fr]">
            <Link
              href={`/projects/${projectId}/events/${event.id}`}
              className="text-sm after:absolute after:inset-0 hover:underline focus-visible:outline-offset-[-2px]"
            >
              <span className="sr-only">Event of {event.hook} at </span>
              <Timestamp value={event.createdAt} />
            </Link>
            <span className="truncate text-right font-mono text-xs sm:text-left">{event.hook}</span>
            <code className="col-span-2 truncate font-mono text-xs text-zinc-700 sm:col-span-1">{jsonPreview(event.payload)}</code>
          </li>
        ))}
      </ul>
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
