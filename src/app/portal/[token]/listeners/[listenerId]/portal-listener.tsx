"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, RotateCw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { HealthBanner } from "@/app/(dashboard)/projects/[projectId]/listeners/[listenerId]/health-banner";
import { SecretPanel } from "@/app/(dashboard)/projects/[projectId]/listeners/[listenerId]/secret-panel";
import { AttemptDetail } from "@/components/deliveries/attempt-detail";
import { DeliveryStatusBadge } from "@/components/deliveries/delivery-status-badge";
import { listenerLabel } from "@/components/listeners/listener-label";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/field";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import type { ListenerRecord } from "@/server/services/listeners";
import { type PortalRouterOutputs, usePortalTRPC } from "@/trpc/portal";

type Delivery = PortalRouterOutputs["listener"]["recentDeliveries"]["items"][number];

/** While a delivery is still under way, the list looks again this often… */
const IN_FLIGHT_REFRESH_MS = 2000;
/** …and otherwise this often, so new deliveries appear while the customer watches. */
const IDLE_REFRESH_MS = 5000;

function inFlight(deliveries: readonly Delivery[]): boolean {
  return deliveries.some((delivery) => delivery.status === "pending" || delivery.status === "delivering");
}

/**
 * One of the customer's listeners: what it receives, whether it is disabled (and the way back), its
 * secret, its deliveries and their attempts.
 */
export function PortalListener({
  token,
  listener,
  failingAfter,
}: {
  token: string;
  listener: ListenerRecord;
  /** DURIAN_FAILING_AFTER_FAILURES. */
  failingAfter: number;
}) {
  const trpc = usePortalTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.listener.delete.mutationOptions({
      onSuccess: () => router.push(`/portal/${token}`),
      onError: (deleteError) => setError(deleteError.message),
    }),
  );
  const filter = JSON.stringify(listener.filter);

  return (
    <div className="space-y-4">
      <Link href={`/portal/${token}`} className="text-sm text-brand-700 underline-offset-2 hover:underline">
        ← Your webhooks
      </Link>
      <h1 className="text-xl font-semibold break-all">{listenerLabel(listener)}</h1>
      <Card
        title="Listener"
        titleId="portal-listener-heading"
        actions={
          <ConfirmDialog
            trigger={
              <Button variant="secondary">
                <Trash2 aria-hidden className="size-4" />
                Delete
              </Button>
            }
            title="Delete this listener?"
            description={<p>It receives nothing more, and its deliveries are forgotten.</p>}
            confirmLabel="Delete listener"
            busy={remove.isPending}
            onConfirm={() => remove.mutate({ id: listener.id })}
          />
        }
      >
        <dl className="space-y-2 p-4 text-sm">
          <Detail label="Event">
            <span className="font-mono">{listener.hook}</span>
          </Detail>
          <Detail label="URL">
            <span className="font-mono break-all" data-testid="portal-listener-url">
              {listener.url}
            </span>
          </Detail>
          <Detail label="Filter">
            <code className="font-mono break-all">{filter === "{}" ? "none: every event" : filter}</code>
          </Detail>
          <Detail label="Status">
            {listener.enabled ? (
              <Badge tone="good">enabled</Badge>
            ) : (
              <Badge tone="bad">
                disabled{listener.disabledReason ? `: ${listener.disabledReason}` : ""}
              </Badge>
            )}
          </Detail>
        </dl>
        <FormError message={error} />
      </Card>
      <HealthBanner
        projectId="portal"
        listener={listener}
        failingAfter={failingAfter}
        onRestored={() => {
          router.refresh();
          return queryClient.invalidateQueries(
            trpc.listener.recentDeliveries.queryFilter({ id: listener.id }),
          );
        }}
      />
      <SecretPanel
        projectId="portal"
        listenerId={listener.id}
        previousSecretUntil={listener.previousSecretUntil}
      />
      <PortalDeliveries listenerId={listener.id} />
    </div>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-4">
      <dt className="w-24 shrink-0 text-zinc-600">{label}</dt>
      <dd className="min-w-0 text-zinc-900">{children}</dd>
    </div>
  );
}

function PortalDeliveries({ listenerId }: { listenerId: string }) {
  const trpc = usePortalTRPC();
  const deliveries = useQuery({
    ...trpc.listener.recentDeliveries.queryOptions({ id: listenerId }),
    refetchInterval: (query) =>
      query.state.data && inFlight(query.state.data.items) ? IN_FLIGHT_REFRESH_MS : IDLE_REFRESH_MS,
  });
  return (
    <Card title="Recent deliveries" titleId="portal-deliveries-heading">
      {deliveries.isPending && <LoadingRows label="Loading deliveries…" rows={3} rowClassName="h-8" />}
      {deliveries.isError && (
        <div className="p-4">
          <QueryError what="deliveries" error={deliveries.error} onRetry={() => deliveries.refetch()} />
        </div>
      )}
      {deliveries.data && deliveries.data.items.length === 0 && (
        <p className="p-4 text-sm text-zinc-700">No deliveries yet: they appear here as events arrive.</p>
      )}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <ul className="divide-y divide-zinc-200" aria-label="Deliveries, newest first">
          {deliveries.data.items.map((delivery) => (
            <PortalDeliveryRow key={delivery.id} delivery={delivery} listenerId={listenerId} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function PortalDeliveryRow({ delivery, listenerId }: { delivery: Delivery; listenerId: string }) {
  const trpc = usePortalTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const detail = useQuery({ ...trpc.delivery.get.queryOptions({ deliveryId: delivery.id }), enabled: open });
  const retry = useMutation(
    trpc.delivery.retry.mutationOptions({
      onSuccess: async () => {
        setError(null);
        await queryClient.invalidateQueries(trpc.listener.recentDeliveries.queryFilter({ id: listenerId }));
        await queryClient.invalidateQueries(trpc.delivery.get.queryFilter({ deliveryId: delivery.id }));
      },
      onError: (retryError) => setError(retryError.message),
    }),
  );
  const panelId = `delivery-${delivery.id}-attempts`;
  return (
    <li className="px-4 py-2 text-sm">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <DeliveryStatusBadge status={delivery.status} />
        <button
          type="button"
          className="inline-flex items-center gap-1 text-brand-700 underline-offset-2 hover:underline"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen(!open)}
        >
          {open ? (
            <ChevronDown aria-hidden className="size-4" />
          ) : (
            <ChevronRight aria-hidden className="size-4" />
          )}
          <TimeAgo date={delivery.createdAt} />
          <span className="sr-only">, attempts of delivery {delivery.id}</span>
        </button>
        <span className="text-zinc-700 tabular-nums">
          {delivery.attemptCount} attempt{delivery.attemptCount === 1 ? "" : "s"}
        </span>
        <span className="text-zinc-700 tabular-nums">
          {delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : "no response yet"}
        </span>
        <Button
          variant="secondary"
          className="ml-auto"
          busy={retry.isPending}
          onClick={() => retry.mutate({ deliveryId: delivery.id })}
        >
          <RotateCw aria-hidden className="size-4" />
          Retry
        </Button>
      </div>
      <FormError message={error} />
      {open && (
        <div id={panelId} className="mt-3 space-y-6 border-t border-zinc-100 pt-3">
          {detail.isPending && <LoadingRows label="Loading attempts…" rows={2} rowClassName="h-8" />}
          {detail.isError && (
            <QueryError what="attempts" error={detail.error} onRetry={() => detail.refetch()} />
          )}
          {detail.data && detail.data.attempts.length === 0 && (
            <p className="text-zinc-700">Not attempted yet.</p>
          )}
          {detail.data?.attempts.map((attempt) => (
            <AttemptDetail key={attempt.id} attempt={attempt} headingId={`attempt-${attempt.id}`} />
          ))}
        </div>
      )}
    </li>
  );
}
