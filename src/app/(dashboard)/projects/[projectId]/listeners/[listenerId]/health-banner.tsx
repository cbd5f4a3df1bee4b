"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DISABLED_BY_USER_REASON } from "@/core/delivery/auto-disable";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { TimeAgo } from "@/components/ui/time-ago";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Listener = RouterOutputs["listener"]["get"];

/**
 * Says when a listener is disabled or failing, and offers the way back: re-enable it and attempt again
 * the deliveries that failed since it started failing (`listener.restore`), or only re-enable it
 * (`listener.setEnabled`). The customer portal shows it too, its calls reaching the portal's procedures.
 */
export function HealthBanner({
  projectId,
  listener,
  failingAfter,
  onRestored,
}: {
  projectId: string;
  listener: Listener;
  /** DURIAN_FAILING_AFTER_FAILURES: from this many failed deliveries in a row a listener is failing. */
  failingAfter: number;
  onRestored: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const restore = useMutation(
    trpc.listener.restore.mutationOptions({
      onSuccess: async ({ recovered }) => {
        setDone(
          `Enabled again. ${
            recovered === 0
              ? "It had no failed deliveries to attempt again."
              : `${recovered} failed deliver${recovered === 1 ? "y is" : "ies are"} being attempted again.`
          }`,
        );
        await queryClient.invalidateQueries(
          trpc.listener.recentDeliveries.queryFilter({ projectId, id: listener.id }),
        );
        await onRestored();
      },
      onError: () => setDone(null),
    }),
  );
  const enable = useMutation(
    trpc.listener.setEnabled.mutationOptions({
      onSuccess: async () => {
        setDone("Enabled again. Its failed deliveries stay failed until they are retried.");
        await onRestored();
      },
      onError: () => setDone(null),
    }),
  );

  if (listener.enabled) {
    if (done)
      return (
        <p
          role="status"
          className="rounded-lg border border-green-200 bg-green-50 p-4 text-sm text-green-900"
        >
          {done}
        </p>
      );
    if (listener.consecutiveFailures < failingAfter) return null;
    return (
      <div
        role="status"
        className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
      >
        <p className="font-medium">
          Failing: its last {listener.consecutiveFailures} deliveries failed in a row.
        </p>
        <p className="mt-1">
          Check the receiver and the latest attempts below; once it works again, retry its failed deliveries.
          Too many more failures disable it.
        </p>
      </div>
    );
  }

  const byUser = listener.disabledReason === DISABLED_BY_USER_REASON;
  return (
    <div role="status" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-medium">Disabled: no events are delivered to this listener.</p>
      {listener.disabledAt && (
        <p className="mt-1">
          Since <TimeAgo date={listener.disabledAt} />.
        </p>
      )}
      {listener.disabledReason && <p className="mt-1">Reason: {listener.disabledReason}</p>}
      {listener.selfHealing && !byUser && (
        <p className="mt-1">
          Self-healing: Durian pings it and enables it again once 3 pings in a row are answered.
        </p>
      )}
      <p className="mt-1">
        Re-enabling resets its count of failures; recovering attempts again each delivery that failed since it
        started failing, with the same webhook-id.
      </p>
      <FormError message={restore.error?.message ?? enable.error?.message} />
      <div className="mt-3 flex flex-wrap gap-3">
        <Button
          busy={restore.isPending}
          disabled={enable.isPending}
          onClick={() => restore.mutate({ projectId, id: listener.id })}
        >
          Re-enable and recover
        </Button>
        <Button
          variant="secondary"
          busy={enable.isPending}
          disabled={restore.isPending}
          onClick={() => enable.mutate({ projectId, id: listener.id, enabled: true })}
        >
          Re-enable only
        </Button>
      </div>
    </div>
  );
}
