"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Delivery = RouterOutputs["listener"]["recentDeliveries"]["items"][number];

/** While a delivery is still under way, the list looks again this often. */
const IN_FLIGHT_REFRESH_MS = 2000;

const STATUS_TONES: Record<Delivery["status"], BadgeTone> = {
  pending: "warn",
  delivering: "info",
  succeeded: "good",
  failed: "bad",
};

function inFlight(deliveries: readonly Delivery[]): boolean {
  return deliveries.some((delivery) => delivery.status === "pending" || delivery.status === "delivering");
}

/** The listener's latest deliveries, as a simple list (the delivery log has filters and every attempt). */
export function RecentDeliveries({ projectId, listenerId }: { projectId: string; listenerId: string }) {
  const trpc = useTRPC();
  const deliveries = useQuery({
    ...trpc.listener.recentDeliveries.queryOptions({ projectId, id: listenerId }),
    refetchInterval: (query) =>
      query.state.data && inFlight(query.state.data.items) ? IN_FLIGHT_REFRESH_MS : false,
  });

  return (
    <Card
      title="Recent deliveries"
      titleId="deliveries-heading"
      actions={
        <Link
          href={`/projects/${projectId}/deliveries?listener=${encodeURIComponent(listenerId)}`}
          className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
        >
          Open in the delivery log
        </Link>
      }
    >
      {deliveries.isPending && <LoadingRows label="Loading deliveries…" rows={3} rowClassName="h-8" />}
      {deliveries.isError && (
        <div className="p-4">
          <QueryError what="deliveries" error={deliveries.error} onRetry={() => deliveries.refetch()} />
        </div>
      )}
      {deliveries.data && deliveries.data.items.length === 0 && (
        <p className="p-4 text-sm text-zinc-700">
          No deliveries yet. They appear here when an event matches this listener, or when you send a test
          event.
        </p>
      )}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <ul className="divide-y divide-zinc-200" aria-label="Deliveries, newest first">
          {deliveries.data.items.map((delivery) => (
            <li key={delivery.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm">
              <Badge tone={STATUS_TONES[delivery.status]} className="w-20 justify-center">
                {delivery.status}
              </Badge>
              <Link
                href={`/projects/${projectId}/deliveries/${delivery.id}`}
                className="w-28 text-brand-700 underline-offset-2 hover:underline"
              >
                <TimeAgo date={delivery.createdAt} />
                {/* Part of the link's name, after the visible text (which the name must contain). */}
                <span className="sr-only">, delivery {delivery.id}</span>
              </Link>
              <span className="tabular-nums text-zinc-700">
                {delivery.attemptCount} attempt{delivery.attemptCount === 1 ? "" : "s"}
              </span>
              <span className="tabular-nums text-zinc-700">
                {delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : "no response yet"}
              </span>
              <span className="ml-auto font-mono text-xs text-zinc-600">event {delivery.eventId}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
