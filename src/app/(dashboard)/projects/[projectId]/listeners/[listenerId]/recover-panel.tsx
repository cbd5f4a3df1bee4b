"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { SelectField } from "@/components/ui/form-controls";
import { useTRPC } from "@/trpc/react";

const HOUR_MS = 3_600_000;
const WINDOWS = [
  { label: "the last hour", ms: HOUR_MS },
  { label: "the last 6 hours", ms: 6 * HOUR_MS },
  { label: "the last 24 hours", ms: 24 * HOUR_MS },
  { label: "the last 3 days", ms: 72 * HOUR_MS },
  { label: "the last 7 days", ms: 168 * HOUR_MS },
] as const;
const DEFAULT_WINDOW_MS = 24 * HOUR_MS;

/** After an outage of the receiver: attempt again every delivery that failed within a window. */
export function RecoverPanel({
  projectId,
  listenerId,
  enabled,
}: {
  projectId: string;
  listenerId: string;
  enabled: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [windowMs, setWindowMs] = useState<number>(DEFAULT_WINDOW_MS);
  const [done, setDone] = useState<string | null>(null);
  const recover = useMutation(
    trpc.listener.recover.mutationOptions({
      onSuccess: async ({ recovered }) => {
        setDone(
          recovered === 0
            ? "No failed deliveries in that window."
            : `${recovered} failed deliver${recovered === 1 ? "y is" : "ies are"} being attempted again.`,
        );
        await queryClient.invalidateQueries(
          trpc.listener.recentDeliveries.queryFilter({ projectId, id: listenerId }),
        );
      },
      onError: () => setDone(null),
    }),
  );

  function submit(event: React.FormEvent) {
    event.preventDefault();
    recover.mutate({ projectId, id: listenerId, since: new Date(Date.now() - windowMs).toISOString() });
  }

  return (
    <Card title="Recover failed deliveries" titleId="recover-heading">
      <form noValidate onSubmit={submit} className="space-y-3 p-4 text-sm">
        <p className="text-zinc-700">
          Once the receiver works again: every delivery to it that failed is attempted once more, with the
          same webhook-id, so a receiver that already handled one can tell.
        </p>
        <SelectField
          label="Failed within"
          value={windowMs}
          onChange={(event) => setWindowMs(Number(event.target.value))}
          className="max-w-xs"
        >
          {WINDOWS.map((window) => (
            <option key={window.ms} value={window.ms}>
              {window.label}
            </option>
          ))}
        </SelectField>
        <FormError message={recover.error?.message} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="secondary" busy={recover.isPending} disabled={!enabled}>
            Recover failed deliveries
          </Button>
          {!enabled && <span className="text-zinc-600">Enable the listener to recover its deliveries.</span>}
          <span role="status" className="text-green-800">
            {done}
          </span>
        </div>
      </form>
    </Card>
  );
}
