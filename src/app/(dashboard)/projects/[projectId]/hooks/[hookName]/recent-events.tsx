"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { previewJson } from "@/components/format";
import { Card } from "@/components/ui/card";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { useTRPC } from "@/trpc/react";

/** How many of the hook's latest events its page lists. */
const RECENT_EVENTS_SHOWN = 10;

export function RecentEvents({ projectId, hookName }: { projectId: string; hookName: string }) {
  const trpc = useTRPC();
  const events = useQuery({
    ...trpc.hook.recentEvents.queryOptions({ projectId, name: hookName, limit: RECENT_EVENTS_SHOWN }),
    staleTime: 0,
  });

  return (
    <Card
      title="Recent events"
      titleId="recent-events-heading"
      actions={
        <Link
          href={`/projects/${projectId}/events?hook=${encodeURIComponent(hookName)}`}
          className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
        >
          All events of this hook
        </Link>
      }
    >
      {events.isPending && <LoadingRows label="Loading events…" rows={3} rowClassName="h-8" />}
      {events.isError && (
        <div className="p-4">
          <QueryError what="events" error={events.error} onRetry={() => events.refetch()} />
        </div>
      )}
      {events.data && events.data.items.length === 0 && (
        <p className="p-4 text-sm text-zinc-700">
          No events yet. Send one with the snippet above and it appears here.
        </p>
      )}
      {events.data && events.data.items.length > 0 && (
        <ul className="divide-y divide-zinc-200">
          {events.data.items.map((event) => (
            <li key={event.id} className="grid gap-1 px-4 py-2 text-sm sm:grid-cols-[8rem_1fr] sm:gap-3">
              <span className="text-zinc-600">
                <Link
                  href={`/projects/${projectId}/events/${event.id}`}
                  className="text-brand-700 underline-offset-2 hover:underline"
                >
                  <TimeAgo date={event.createdAt} />
                  {/* Part of the link's name, after the visible text (which the name must contain). */}
                  <span className="sr-only">, event {event.id}</span>
                </Link>
                {event.sender && <span className="block truncate text-xs">by {event.sender}</span>}
              </span>
              <code className="min-w-0 font-mono text-xs break-all text-zinc-800">
                {previewJson(event.payload, 200)}
              </code>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
