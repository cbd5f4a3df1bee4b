"use client";

import type { HookField } from "@/core/hook-fields";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime } from "@/components/format";
import { describeFilter } from "@/components/listener-form/describe-filter";
import { FilterSummary, ListenerStatus, RelayBadge } from "@/components/listeners/listener-status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/field";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { RecentDeliveries } from "./recent-deliveries";
import { HealthBanner } from "./health-banner";
import { RecoverPanel } from "./recover-panel";
import { SecretPanel } from "./secret-panel";
import { TestEventPanel } from "./test-event-panel";
import { VersionPanel } from "./version-panel";
import { listenerLabel } from "@/components/listeners/listener-label";
import { CustomerTag } from "./customer-tag";

type Listener = RouterOutputs["listener"]["get"];

const MASKED_HEADER_VALUE = "••••••";

export function ListenerDetail({
  projectId,
  initialListener,
  providesArgs,
  latestVersion,
  failingAfter,
}: {
  projectId: string;
  initialListener: Listener;
  /** The fields of the hook version the listener receives. */
  providesArgs: HookField[];
  /** The hook's latest version. */
  latestVersion: number;
  /** DURIAN_FAILING_AFTER_FAILURES. */
  failingAfter: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<string | null>(null);
  const query = useQuery({
    ...trpc.listener.get.queryOptions({ projectId, id: initialListener.id }),
    initialData: initialListener,
  });
  const listener = query.data;
  const hookHref = `/projects/${projectId}/hooks/${encodeURIComponent(listener.hook)}`;

  const refresh = () => queryClient.invalidateQueries(trpc.listener.pathFilter());
  const setEnabled = useMutation(
    trpc.listener.setEnabled.mutationOptions({
      onSuccess: (updated) => {
        setActionError(null);
        queryClient.setQueryData(trpc.listener.get.queryKey({ projectId, id: updated.id }), updated);
        return refresh();
      },
      onError: (error) => setActionError(error.message),
    }),
  );
  const remove = useMutation(
    trpc.listener.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.hook.pathFilter());
        router.push(hookHref);
        router.refresh();
      },
      onError: (error) => setActionError(error.message),
    }),
  );

  const headerEntries = Object.entries(listener.headers);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold break-all">
            <span className="sr-only">Listener </span>
            {listenerLabel(listener)} {listener.relay && <RelayBadge />}
            <ListenerStatus enabled={listener.enabled} />
          </h1>
          <p className="font-mono text-sm break-all text-zinc-800">{listener.url}</p>
          {listener.relay && <RelayExplanation url={listener.url} />}
          {listener.description && <p className="text-sm text-zinc-700">{listener.description}</p>}
        </div>
        <div className="flex flex-wrap gap-2">
          {!listener.relay && (
            <Link
              href={`/projects/${projectId}/listeners/${listener.id}/edit`}
              className="inline-flex min-h-9 items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100"
            >
              Edit
            </Link>
          )}
          <Button
            variant="secondary"
            busy={setEnabled.isPending}
            onClick={() => setEnabled.mutate({ projectId, id: listener.id, enabled: !listener.enabled })}
          >
            {listener.enabled ? "Disable" : "Enable"}
          </Button>
          <ConfirmDialog
            trigger={<Button variant="ghost">Delete</Button>}
            title="Delete this listener?"
            description={
              <p>
                Durian stops delivering <span className="font-mono">{listener.hook}</span> events to{" "}
                {listener.relay ? (
                  <code className="font-mono">durian listen</code>
                ) : (
                  <span className="font-mono break-all">{listener.url}</span>
                )}
                , and its delivery history goes with it.
              </p>
            }
            confirmLabel="Delete listener"
            busy={remove.isPending}
            onConfirm={() => remove.mutate({ projectId, id: listener.id })}
          />
        </div>
      </div>
      <FormError message={actionError} />

      <VersionPanel projectId={projectId} listener={listener} latestVersion={latestVersion} />

      <HealthBanner
        projectId={projectId}
        listener={listener}
        failingAfter={failingAfter}
        onRestored={refresh}
      />

      <Card title="Filter" titleId="filter-heading">
        <div className="space-y-3 p-4 text-sm">
          <FilterSummary clauses={describeFilter(listener.filter)} />
          <details>
            <summary className="cursor-pointer text-zinc-700">As JSON</summary>
            <pre
              tabIndex={0}
              aria-label="Filter as JSON"
              className="mt-2 overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs"
            >
              {JSON.stringify(listener.filter, null, 2)}
            </pre>
          </details>
        </div>
      </Card>

      <Card title="Delivery settings" titleId="settings-heading">
        <dl className="grid gap-x-6 gap-y-3 p-4 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-zinc-600">Hook</dt>
          <dd>
            <Link href={hookHref} className="font-mono text-brand-700 underline-offset-2 hover:underline">
              {listener.hook}
            </Link>{" "}
            <span className="text-zinc-700">version {listener.hookVersion}</span>
          </dd>
          <dt className="text-zinc-600">Customer</dt>
          <dd>
            <CustomerTag projectId={projectId} listenerId={listener.id} customer={listener.customer} />
          </dd>
          <dt className="text-zinc-600">Body</dt>
          <dd>{listener.envelope ? "Envelope: {type, version, timestamp, data}" : "The bare payload"}</dd>
          {Object.keys(listener.config).length > 0 && (
            <>
              <dt className="text-zinc-600">Options</dt>
              <dd>
                <ul className="space-y-1 font-mono text-xs" aria-label="Options">
                  {Object.entries(listener.config).map(([name, value]) => (
                    <li key={name}>
                      {name}: {JSON.stringify(value)}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          <dt className="text-zinc-600">Custom headers</dt>
          <dd>
            {headerEntries.length === 0 ? (
              "None"
            ) : (
              <ul className="space-y-1 font-mono text-xs">
                {headerEntries.map(([name]) => (
                  <li key={name}>
                    {name}: <span aria-label="value hidden">{MASKED_HEADER_VALUE}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          {!listener.relay && (
            <>
              <dt className="text-zinc-600">Self-healing</dt>
              <dd>
                {listener.selfHealing
                  ? "On: pinged while disabled by failures, enabled again once it answers"
                  : "Off"}
              </dd>
            </>
          )}
          <dt className="text-zinc-600">Consecutive failures</dt>
          <dd className="tabular-nums">{listener.consecutiveFailures}</dd>
          <dt className="text-zinc-600">Created</dt>
          <dd>{formatDateTime(listener.createdAt)}</dd>
        </dl>
      </Card>

      <SecretPanel
        projectId={projectId}
        listenerId={listener.id}
        previousSecretUntil={listener.previousSecretUntil}
      />
      <TestEventPanel
        projectId={projectId}
        listenerId={listener.id}
        enabled={listener.enabled}
        providesArgs={providesArgs}
      />
      <RecentDeliveries projectId={projectId} listenerId={listener.id} />
      <RecoverPanel projectId={projectId} listenerId={listener.id} enabled={listener.enabled} />
    </div>
  );
}

/** Why nothing is POSTed to a relay listener's URL: `durian listen` receives its deliveries instead. */
function RelayExplanation({ url }: { url: string }) {
  return (
    <p role="note" aria-label="Relay listener" className="max-w-prose text-sm text-zinc-700">
      A relay listener: Durian does not POST its deliveries to this URL. It hands each one to the{" "}
      <code className="font-mono">durian listen</code> streams open for it on a developer&apos;s machine,
      where the CLI forwards it to <span className="font-mono break-all">{url}</span> and reports the answer
      back as the attempt. Deliveries made while no <code className="font-mono">durian listen</code> runs wait
      for the next one. It is not edited here: <code className="font-mono">durian listen</code> finds it again
      by its hook, filter and name, and sets its URL from <code className="font-mono">--forward</code>.
    </p>
  );
}
