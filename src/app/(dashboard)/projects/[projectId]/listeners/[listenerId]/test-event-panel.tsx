"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { examplePayload, type HookField } from "@/core/hook-fields";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextareaField } from "@/components/ui/form-controls";
import { useTRPC } from "@/trpc/react";

/** Sends one event to this listener alone (whatever its filter says), to see a delivery arrive. */
export function TestEventPanel({
  projectId,
  listenerId,
  enabled,
  providesArgs,
}: {
  projectId: string;
  listenerId: string;
  enabled: boolean;
  /** The hook's fields: the example payload gives each a value of its type. */
  providesArgs: HookField[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [payloadText, setPayloadText] = useState(() => JSON.stringify(examplePayload(providesArgs), null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const send = useMutation(
    trpc.listener.sendTest.mutationOptions({
      onSuccess: async (result) => {
        setProblem(null);
        setSent(`Sent event ${result.eventId}; its delivery appears below.`);
        await queryClient.invalidateQueries(
          trpc.listener.recentDeliveries.queryFilter({ projectId, id: listenerId }),
        );
      },
      onError: (error) => {
        setSent(null);
        const fields = error.data?.fieldErrors;
        setProblem(
          fields?.length
            ? fields.map((field) => `${field.path}: ${field.message}`).join("; ")
            : error.message,
        );
      },
    }),
  );

  function submit(event: React.FormEvent) {
    event.preventDefault();
    let payload: unknown;
    try {
      payload = JSON.parse(payloadText);
    } catch (parseError) {
      setProblem(`not valid JSON (${(parseError as Error).message})`);
      return;
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      setProblem("the payload must be a JSON object of the hook's fields");
      return;
    }
    send.mutate({ projectId, id: listenerId, payload: payload as Record<string, unknown> });
  }

  return (
    <Card title="Send a test event" titleId="test-event-heading">
      <form noValidate onSubmit={submit} className="space-y-3 p-4 text-sm">
        <p className="text-zinc-700">
          Delivered to this listener only, even if its filter would not match. It is recorded like any event,
          sent by <code className="font-mono">durian:test</code>.
        </p>
        <TextareaField
          label="Payload"
          rows={Math.min(10, providesArgs.length + 2)}
          spellCheck={false}
          value={payloadText}
          onChange={(event) => setPayloadText(event.target.value)}
          error={problem ?? undefined}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={send.isPending} disabled={!enabled}>
            Send test event
          </Button>
          {!enabled && <span className="text-zinc-600">Enable the listener to send it a test event.</span>}
          <span role="status" className="text-green-800">
            {sent}
          </span>
        </div>
      </form>
    </Card>
  );
}
