"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Tabs } from "radix-ui";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { AttemptDetail, attemptOutcomeLabel } from "@/components/deliveries/attempt-detail";
import { DeliveryStatusBadge } from "@/components/deliveries/delivery-status-badge";
import { Timestamp } from "@/components/deliveries/timestamp";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import type { DeliveryDetail } from "@/server/services/delivery-log";
import { useTRPC } from "@/trpc/react";

/** While a delivery is pending or being attempted, its page looks for news this often. */
const ACTIVE_REFRESH_MS = 1000;

function isActive(status: DeliveryDetail["status"]): boolean {
  return status === "pending" || status === "delivering";
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-600">{label}</dt>
      <dd className="truncate text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

export function DeliveryDetailView({
  projectId,
  initial,
  initialAttempt,
}: {
  projectId: string;
  initial: DeliveryDetail;
  /** The attempt the URL asked for (?attempt=N); the latest otherwise. */
  initialAttempt: number | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { projectId, deliveryId: initial.id };
  const query = useQuery(
    trpc.delivery.get.queryOptions(input, {
      initialData: initial,
      refetchInterval: (current) =>
        current.state.data && isActive(current.state.data.status) ? ACTIVE_REFRESH_MS : false,
    }),
  );
  const delivery = query.data;
  const [chosenAttempt, setChosenAttempt] = useState<number | null>(initialAttempt);
  const [notice, setNotice] = useState<ReactNode>(null);

  const retry = useMutation(
    trpc.delivery.retry.mutationOptions({
      onSuccess: async () => {
        // Follow the new attempt when it arrives.
        setChosenAttempt(null);
        setNotice("Retry scheduled: a new attempt with the same webhook-id is on its way.");
        await queryClient.invalidateQueries(trpc.delivery.get.queryFilter(input));
      },
    }),
  );
  const replay = useMutation(
    trpc.event.replay.mutationOptions({
      onSuccess: (result) =>
        setNotice(
          result.matched === 0 ? (
            "Replayed: no listener matches this event today, so no delivery was made."
          ) : result.matched === undefined ? (
            <>
              Replaying: the event is being matched against today’s listeners.{" "}
              <Link className="underline" href={`/projects/${projectId}/events/${delivery.eventId}`}>
                See its deliveries on the event
              </Link>
            </>
          ) : (
            <>
              Replayed: {result.matched} new {result.matched === 1 ? "delivery" : "deliveries"} for today’s
              matching listeners.{" "}
              <Link className="underline" href={`/projects/${projectId}/events/${delivery.eventId}`}>
                See them on the event
              </Link>
            </>
          ),
        ),
    }),
  );

  const attempts = delivery.attempts;
  const latest = attempts.at(-1);
  const shownNumber =
    chosenAttempt !== null && attempts.some((attempt) => attempt.number === chosenAttempt)
      ? chosenAttempt
      : latest?.number;

  function chooseAttempt(value: string) {
    const number = Number(value);
    setChosenAttempt(number);
    window.history.replaceState(null, "", `?attempt=${number}`);
  }

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href={`/projects/${projectId}/deliveries`} className="text-brand-700 hover:underline">
            ← Deliveries
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">
            Delivery of <span className="font-mono">{delivery.hookName}</span>
          </h1>
          <DeliveryStatusBadge status={delivery.status} />
        </div>
        <p className="font-mono text-xs break-all text-zinc-600">{delivery.id}</p>
      </div>

      <Card>
        <dl className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-2 lg:grid-cols-3">
          <Fact label="Listener">
            <Link
              href={`/projects/${projectId}/listeners/${delivery.listenerId}`}
              className="text-brand-700 hover:underline"
              title={delivery.listenerUrl}
            >
              {delivery.listenerName ?? delivery.listenerUrl}
            </Link>
          </Fact>
          <Fact label="Event">
            <Link
              href={`/projects/${projectId}/events/${delivery.eventId}`}
              className="font-mono text-brand-700 hover:underline"
            >
              {delivery.eventId}
            </Link>
          </Fact>
          <Fact label="Created">
            <Timestamp value={delivery.createdAt} />
          </Fact>
          <Fact label="Attempts">{delivery.attemptCount}</Fact>
          <Fact label="Last status code">{delivery.lastStatusCode ?? "—"}</Fact>
          <Fact label="Next attempt">
            {isActive(delivery.status) ? (
              <Timestamp value={delivery.nextAttemptAt} empty="being attempted" />
            ) : (
              "None"
            )}
          </Fact>
        </dl>
        <div className="space-y-3 border-t border-zinc-200 p-4">
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              busy={retry.isPending}
              disabled={delivery.status === "delivering"}
              onClick={() => retry.mutate(input)}
            >
              Retry delivery
            </Button>
            <Link
              href={`/projects/${projectId}/events/${delivery.eventId}`}
              className="inline-flex min-h-9 items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-900 hover:bg-zinc-100"
            >
              Open event
            </Link>
            <Button
              type="button"
              variant="secondary"
              busy={replay.isPending}
              onClick={() => replay.mutate({ projectId, eventId: delivery.eventId })}
            >
              Replay event
            </Button>
          </div>
          <p className="text-xs text-zinc-600">
            Retry sends this delivery again to the same listener with the same webhook-id. Replay matches the
            event again against today’s listeners and makes a new delivery for each match.
          </p>
          {!delivery.listenerEnabled && (
            <p className="text-sm text-amber-900">
              The listener is disabled: a retry is recorded but not sent until it is enabled again.
            </p>
          )}
          <FormError message={retry.error?.message ?? replay.error?.message} />
          <p aria-live="polite" className="text-sm text-green-900">
            {notice}
          </p>
        </div>
      </Card>

      <Card title="Attempts" titleId="attempts-heading">
        {attempts.length === 0 || shownNumber === undefined ? (
          <p className="p-4 text-sm text-zinc-700">
            No attempt yet.{" "}
            {isActive(delivery.status) && delivery.nextAttemptAt && (
              <>
                The first is due at <Timestamp value={delivery.nextAttemptAt} />; this page updates when it is
                made.
              </>
            )}
          </p>
        ) : (
          <Tabs.Root value={String(shownNumber)} onValueChange={chooseAttempt} className="p-4">
            <Tabs.List aria-label="Attempts" className="-mx-1 mb-4 flex gap-1 overflow-x-auto px-1 pb-1">
              {attempts.map((attempt) => (
                <Tabs.Trigger
                  key={attempt.number}
                  value={String(attempt.number)}
                  className="shrink-0 rounded-md border border-zinc-200 px-3 py-1.5 text-sm whitespace-nowrap text-zinc-800 hover:bg-zinc-100 data-[state=active]:border-brand-600 data-[state=active]:bg-brand-50 data-[state=active]:font-medium data-[state=active]:text-brand-700"
                >
                  Attempt {attempt.number} · {attemptOutcomeLabel(attempt)}
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            {attempts.map((attempt) => (
              <Tabs.Content key={attempt.number} value={String(attempt.number)}>
                <AttemptDetail attempt={attempt} headingId={`attempt-${attempt.number}-heading`} />
              </Tabs.Content>
            ))}
          </Tabs.Root>
        )}
      </Card>
    </div>
  );
}
