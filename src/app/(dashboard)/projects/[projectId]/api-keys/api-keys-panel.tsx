"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormError } from "@/components/ui/field";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { createApiKeySchema } from "@/contracts/api-keys";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

const newKeySchema = createApiKeySchema.pick({ name: true });
type NewKeyValues = z.input<typeof newKeySchema>;
type ApiKey = RouterOutputs["apiKey"]["list"]["items"][number];
type CreatedKey = RouterOutputs["apiKey"]["create"];

export function ApiKeysPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Last use changes as apps call the API: look again on every visit.
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ projectId }), staleTime: 0 });
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<NewKeyValues>({ resolver: zodResolver(newKeySchema), defaultValues: { name: "" } });
  const refresh = () => queryClient.invalidateQueries(trpc.apiKey.list.queryFilter({ projectId }));

  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (createdKey) => {
        const { key: _wholeKey, ...record } = createdKey;
        setFormError(null);
        setCreated(createdKey);
        form.reset();
        // The list shows the new key at once, not after the refetch below answers.
        queryClient.setQueryData(trpc.apiKey.list.queryKey({ projectId }), (list) =>
          list
            ? { items: [record, ...list.items.filter((item) => item.id !== record.id)] }
            : { items: [record] },
        );
        await refresh();
      },
      onError: (error) => {
        const nameError = error.data?.fieldErrors?.find((fieldError) => fieldError.path === "name");
        if (nameError) form.setError("name", { message: nameError.message });
        else setFormError(error.message);
      },
    }),
  );

  return (
    <div className="space-y-6">
      {created && <NewKeyNotice created={created} onDone={() => setCreated(null)} />}

      <Card title="Create a key" titleId="create-key-heading">
        <form
          noValidate
          onSubmit={form.handleSubmit((values) => create.mutate({ projectId, name: values.name }))}
          className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start"
        >
          <Field
            className="flex-1"
            label="Name"
            placeholder="e.g. production backend"
            hint="Says where the key is used, so you know which one to revoke."
            error={form.formState.errors.name?.message}
            {...form.register("name")}
          />
          <Button type="submit" busy={create.isPending} className="sm:mt-6">
            Create key
          </Button>
        </form>
        <div className="px-4 pb-4">
          <FormError message={formError} />
        </div>
      </Card>

      <Card title="Keys" titleId="keys-heading">
        {keys.isPending && <LoadingRows label="Loading API keys…" rows={2} rowClassName="h-12" />}
        {keys.isError && (
          <div className="p-4">
            <QueryError what="API keys" error={keys.error} onRetry={() => keys.refetch()} />
          </div>
        )}
        {keys.data && keys.data.items.length === 0 && (
          <p className="p-4 text-sm text-zinc-700">
            No keys yet. Create one above to let an app talk to this project.
          </p>
        )}
        {keys.data && keys.data.items.length > 0 && (
          <ul className="divide-y divide-zinc-200">
            {keys.data.items.map((key) => (
              <KeyRow key={key.id} projectId={projectId} apiKey={key} onRevoked={refresh} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function NewKeyNotice({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  return (
    <section
      aria-labelledby="new-key-heading"
      className="space-y-3 rounded-lg border border-brand-500 bg-brand-50 p-4 text-sm"
      tabIndex={-1}
      ref={(element) => element?.focus()}
    >
      <h2 id="new-key-heading" className="text-base font-semibold">
        Your new key “{created.name}”
      </h2>
      <p className="text-zinc-800">Copy it now: it is shown only this once. Durian stores only its hash.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="new-api-key"
          className="min-w-0 flex-1 rounded-md border border-zinc-200 bg-white px-3 py-2 font-mono text-xs break-all"
        >
          {created.key}
        </code>
        <CopyButton text={created.key} label="Copy key" />
      </div>
      <p className="text-zinc-700">
        Then, in your app&apos;s environment:{" "}
        <code className="font-mono">DURIAN_API_KEY=&lt;the key&gt;</code>
      </p>
      <Button variant="secondary" onClick={onDone}>
        I have copied it
      </Button>
    </section>
  );
}

function KeyRow({
  projectId,
  apiKey,
  onRevoked,
}: {
  projectId: string;
  apiKey: ApiKey;
  onRevoked: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: onRevoked,
      onError: (revokeError) => setError(revokeError.message),
    }),
  );
  const revoked = apiKey.revokedAt !== null;
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium break-all">{apiKey.name}</span>
          {revoked ? <Badge tone="bad">Revoked</Badge> : <Badge tone="good">Active</Badge>}
        </div>
        <div className="font-mono text-xs text-zinc-600">{apiKey.prefix}…</div>
      </div>
      <div className="text-xs text-zinc-700">
        Created <TimeAgo date={apiKey.createdAt} /> ·{" "}
        {apiKey.lastUsedAt ? (
          <>
            last used <TimeAgo date={apiKey.lastUsedAt} />
          </>
        ) : (
          "never used"
        )}
      </div>
      {!revoked && (
        <ConfirmDialog
          trigger={<Button variant="secondary">Revoke</Button>}
          title={`Revoke “${apiKey.name}”?`}
          description={
            <p>Apps using this key ({apiKey.prefix}…) are refused from now on. This cannot be undone.</p>
          }
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ projectId, id: apiKey.id })}
        />
      )}
      {error && <p className="w-full text-red-700">{error}</p>}
    </li>
  );
}
