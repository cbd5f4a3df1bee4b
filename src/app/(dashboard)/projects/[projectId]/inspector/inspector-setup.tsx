"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { SelectField } from "@/components/ui/form-controls";
import { useTRPC } from "@/trpc/react";

const createListenerSchema = z.object({ hook: z.string().min(1, "Choose a hook") });

export function InspectorSetup({
  projectId,
  url,
  hooks,
  sendingHere,
}: {
  projectId: string;
  url: string;
  hooks: string[];
  sendingHere: { id: string; hook: string }[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; hook: string } | null>(null);
  const form = useForm<z.infer<typeof createListenerSchema>>({
    resolver: zodResolver(createListenerSchema),
    defaultValues: { hook: hooks[0] ?? "" },
  });
  const createListener = useMutation(
    trpc.inspector.createListener.mutationOptions({
      onSuccess: (listener) => {
        setCreated({ id: listener.id, hook: listener.hook });
        router.refresh();
      },
      onError: (error) => {
        const fieldError = error.data?.fieldErrors?.find(
          (entry) => entry.path === "hook" || entry.path === "url",
        );
        form.setError("hook", { message: fieldError?.message ?? error.message });
      },
    }),
  );

  return (
    <div className="space-y-4">
      <Card title="Inspector URL" titleId="inspector-url-heading">
        <div className="space-y-3 p-4">
          <div className="flex flex-col gap-2 sm:flex-row">
            <label htmlFor="inspector-url" className="sr-only">
              Inspector URL
            </label>
            <input
              id="inspector-url"
              readOnly
              value={url}
              onFocus={(event) => event.currentTarget.select()}
              className="block w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-xs text-zinc-900"
            />
            <CopyButton text={url} label="Copy URL" className="shrink-0 whitespace-nowrap" />
          </div>
          <p className="text-xs text-zinc-600">
            Anything POSTed here is kept (the latest requests only). Signatures are checked with the secrets
            of this project’s listeners that point here.
          </p>
        </div>
      </Card>

      <Card title="Send deliveries here" titleId="inspector-listener-heading">
        <div className="space-y-3 p-4">
          {hooks.length === 0 ? (
            <p className="text-sm text-zinc-700">
              No hooks yet. Register one from your app with the SDK or the REST API (see{" "}
              <Link href={`/projects/${projectId}`} className="text-brand-700 underline">
                Hooks
              </Link>
              ), then come back to send its events here.
            </p>
          ) : (
            <form
              noValidate
              onSubmit={form.handleSubmit((values) =>
                createListener.mutate({ projectId, hook: values.hook }),
              )}
              className="flex flex-col gap-3 sm:flex-row sm:items-start"
            >
              <SelectField
                className="flex-1"
                label="Hook"
                hint="Every event of this hook will be delivered to the inspector."
                error={form.formState.errors.hook?.message}
                {...form.register("hook")}
              >
                {hooks.map((hook) => (
                  <option key={hook} value={hook}>
                    {hook}
                  </option>
                ))}
              </SelectField>
              <Button type="submit" busy={createListener.isPending} className="sm:mt-6">
                Create a listener that sends here
              </Button>
            </form>
          )}
          <div aria-live="polite" className="text-sm text-green-900">
            {created && (
              <p>
                Listener created for <span className="font-mono">{created.hook}</span>.{" "}
                <Link href={`/projects/${projectId}/listeners/${created.id}`} className="underline">
                  Open it
                </Link>{" "}
                or send an event: it will show up below.
              </p>
            )}
          </div>
          {sendingHere.length > 0 && (
            <p className="text-xs text-zinc-700">
              Sending here:{" "}
              {sendingHere.map((listener, index) => (
                <span key={listener.id}>
                  {index > 0 && ", "}
                  <Link
                    href={`/projects/${projectId}/listeners/${listener.id}`}
                    className="font-mono text-brand-700 hover:underline"
                  >
                    {listener.hook}
                  </Link>
                </span>
              ))}
            </p>
          )}
        </div>
      </Card>
    </div>
  );
}
