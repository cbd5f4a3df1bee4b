"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { listenerLabel } from "@/components/listeners/listener-label";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import type { PortalHook } from "@/server/services/portal/scope";
import { usePortalTRPC } from "@/trpc/portal";

/** The customer's listeners, and the hooks they may add one to. */
export function PortalHome({ token, hooks }: { token: string; hooks: PortalHook[] }) {
  const trpc = usePortalTRPC();
  const listeners = useQuery(trpc.listener.list.queryOptions({}));
  const base = `/portal/${token}`;

  return (
    <>
      <h1 className="text-xl font-semibold">Your webhooks</h1>
      <Card title="Your listeners" titleId="portal-listeners-heading">
        {listeners.isPending && <LoadingRows label="Loading listeners…" rows={2} rowClassName="h-8" />}
        {listeners.isError && (
          <div className="p-4">
            <QueryError what="listeners" error={listeners.error} onRetry={() => listeners.refetch()} />
          </div>
        )}
        {listeners.data && listeners.data.items.length === 0 && (
          <p className="p-4 text-sm text-zinc-700">No listeners yet: add one to an event below.</p>
        )}
        {listeners.data && listeners.data.items.length > 0 && (
          <ul className="divide-y divide-zinc-200" aria-label="Your listeners">
            {listeners.data.items.map((listener) => (
              <li key={listener.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm">
                <Link
                  href={`${base}/listeners/${listener.id}`}
                  className="font-medium text-brand-700 underline-offset-2 hover:underline"
                >
                  {listenerLabel(listener)}
                </Link>
                <span className="font-mono text-xs text-zinc-700">{listener.hook}</span>
                {!listener.enabled && <Badge tone="bad">disabled</Badge>}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Events you can receive" titleId="portal-hooks-heading">
        {hooks.length === 0 ? (
          <div className="p-4">
            <EmptyState title="No events offered yet" />
          </div>
        ) : (
          <ul className="divide-y divide-zinc-200">
            {hooks.map((hook) => (
              <li
                key={hook.name}
                className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm"
              >
                <div className="min-w-0">
                  <p className="font-mono font-medium break-all">{hook.name}</p>
                  {(hook.verboseName || hook.description) && (
                    <p className="text-zinc-700">{hook.verboseName || hook.description}</p>
                  )}
                  <p className="text-xs text-zinc-600">
                    Fields: {hook.providesArgs.length > 0 ? hook.providesArgs.join(", ") : "none"}
                  </p>
                </div>
                <Link
                  href={`${base}/hooks/${encodeURIComponent(hook.name)}/new`}
                  className="rounded-md bg-brand-700 px-3 py-1.5 font-medium text-white hover:bg-brand-600"
                  aria-label={`Add a listener to ${hook.name}`}
                >
                  Add a listener
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
