"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { BodyView } from "@/components/deliveries/body-view";
import { DeliveryStatusBadge } from "@/components/deliveries/delivery-status-badge";
import { Timestamp } from "@/components/deliveries/timestamp";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import type { EventDetail } from "@/server/services/deliveries-read";
import { useTRPC } from "@/trpc/react";
import { listenerLabel } from "@/components/listeners/listener-label";

/** While any of the event's deliveries is unfinished, the page looks for news this often. */
const ACTIVE_REFRESH_MS = 1000;

function hasActiveDelivery(event: EventDetail): boolean {
  return event.deliveries.some(
    (delivery) => delivery.status === "pending" || delivery.status === "delivering",
  );
}

export function EventDetailView({ projectId, initial }: { projectId: string; initial: EventDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { projectId, eventId: initial.id };
  const { data: event } = useQuery(
    trpc.event.get.queryOptions(input, {
      initialData: initial,
      refetchInterval: (query) =>
        query.state.data && hasActiveDelivery(query.state.data) ? ACTIVE_REFRESH_MS : false,
    }),
  );
  const [notice, setNotice] = useState<string | null>(null);
  const replay = useMutation(
    trpc.event.replay.mutationOptions({
      onSuccess: async (result) => {
        setNotice(
          result.matched === undefined
            ? "Replaying: the new deliveries appear below as the event is matched."
            : result.matched === 0
              ? "Replayed: no listener matches this event today, so no delivery was made."
              : `Replayed: ${result.matched} new ${result.matched === 1 ? "delivery" : "deliveries"} below.`,
        );
        await queryClient.invalidateQueries(trpc.event.get.queryFilter(input));
      },
    }),
  );

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href={`/projects/${projectId}/events`} className="text-brand-700 hover:underline">
            ← Events
          </Link>
        </p>
        <h1 className="text-xl font-semibold">
          Event of <span className="font-mono">{event.hook}</span>{" "}
          <span className="text-base font-normal text-zinc-600">version {event.hookVersion}</span>
        </h1>
        <p className="font-mono text-xs break-all text-zinc-600">{event.id}</p>
      </div>

      <Card>
        <dl className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-3">
          <div>
            <dt className="text-xs text-zinc-600">Sent</dt>
            <dd className="text-sm">
              <Timestamp value={event.createdAt} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-600">Sender</dt>
            <dd className="truncate text-sm">{event.sender ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-600">Deliveries</dt>
            <dd className="text-sm">{event.deliveries.length}</dd>
          </div>
        </dl>
        <div className="space-y-2 border-t border-zinc-200 p-4">
          <Button
            type="button"
            variant="secondary"
            busy={replay.isPending}
            onClick={() => replay.mutate(input)}
          >
            Replay event
          </Button>
          <p className="text-xs text-zinc-600">
            Matches the event again against today’s listeners; each match gets a new delivery. Earlier
            deliveries stay as they were.
          </p>
          <FormError message={replay.error?.message} />
          <p aria-live="polite" className="text-sm text-green-900">
            {notice}
          </p>
        </div>
      </Card>

      <Card title="Payload" titleId="payload-heading">
        <div className="p-4">
          <BodyView
            body={JSON.stringify(event.payload)}
            label="Event payload"
            note="as stored: only the hook’s fields"
          />
        </div>
      </Card>

      <Card title="Deliveries" titleId="event-deliveries-heading">
        {event.deliveries.length === 0 ? (
          <p className="p-4 text-sm text-zinc-700">
            No listener matched this event. Add a listener to <span className="font-mono">{event.hook}</span>,
            then replay it.
          </p>
        ) : (
          <ul className="divide-y divide-zinc-100">
            {[...event.deliveries].reverse().map((delivery) => (
              <li key={delivery.id} className="relative flex h-14 items-center gap-3 px-4 hover:bg-zinc-50">
                <DeliveryStatusBadge status={delivery.status} />
                <Link
                  href={`/projects/${projectId}/deliveries/${delivery.id}`}
                  className="min-w-0 flex-1 truncate text-sm after:absolute after:inset-0 hover:underline focus-visible:outline-offset-[-2px]"
                  title={delivery.listenerUrl}
                >
                  <span className="sr-only">Delivery to </span>
                  {listenerLabel({ name: delivery.listenerName, url: delivery.listenerUrl })}
                </Link>
                <span className="hidden w-24 text-right text-xs text-zinc-700 tabular-nums sm:block">
                  {delivery.attemptCount} {delivery.attemptCount === 1 ? "attempt" : "attempts"}
                </span>
                <span className="w-10 text-right text-sm tabular-nums">{delivery.lastStatusCode ?? "—"}</span>
                <span className="hidden w-40 text-xs md:block">
                  <Timestamp value={delivery.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
