"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

/**
 * The customer a listener belongs to: that customer's portal links show and manage it. Blank: the
 * project's own listener, in no portal.
 */
export function CustomerTag({
  projectId,
  listenerId,
  customer,
}: {
  projectId: string;
  listenerId: string;
  customer: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(customer ?? "");
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.listener.update.mutationOptions({
      onSuccess: async (updated) => {
        setError(undefined);
        setSaved(true);
        setValue(updated.customer ?? "");
        await queryClient.invalidateQueries(trpc.listener.pathFilter());
      },
      onError: (saveError) =>
        setError(
          saveError.data?.fieldErrors?.find((field) => field.path === "customer")?.message ??
            saveError.message,
        ),
    }),
  );
  return (
    <form
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate({ projectId, id: listenerId, customer: value.trim() || null });
      }}
    >
      <Field
        className="min-w-48 flex-1"
        label="Customer"
        hideLabel
        placeholder="None: the project's own"
        autoComplete="off"
        hint="Your app's id for the customer it belongs to: their portal links show and manage it."
        error={error}
        value={value}
        onChange={(event) => {
          setSaved(false);
          setValue(event.target.value);
        }}
      />
      <Button type="submit" variant="secondary" busy={save.isPending}>
        Save customer
      </Button>
      {saved && (
        <p role="status" className="w-full text-xs text-zinc-700">
          Saved.
        </p>
      )}
    </form>
  );
}
