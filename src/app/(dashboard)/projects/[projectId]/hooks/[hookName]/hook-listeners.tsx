"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { describeFilter } from "@/components/listener-form/describe-filter";
import { FilterSummary, ListenerStatus, RelayBadge } from "@/components/listeners/listener-status";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { useDebouncedValue } from "@/components/use-debounced-value";
import { useTRPC } from "@/trpc/react";

/** The list narrows to a customer once the typed tag has stopped changing for this long. */
const CUSTOMER_FILTER_DELAY_MS = 300;

export function HookListeners({
  projectId,
  hookName,
  newListenerHref,
}: {
  projectId: string;
  hookName: string;
  newListenerHref: string;
}) {
  const trpc = useTRPC();
  const [customerInput, setCustomerInput] = useState("");
  const customer = useDebouncedValue(customerInput.trim(), CUSTOMER_FILTER_DELAY_MS) || undefined;
  const listeners = useQuery({
    ...trpc.listener.list.queryOptions({ projectId, hook: hookName, customer }),
    staleTime: 0,
  });

  return (
    <Card
      title="Listeners"
      titleId="listeners-heading"
      actions={
        <Field
          label="Customer"
          hideLabel
          placeholder="Only this customer's…"
          autoComplete="off"
          value={customerInput}
          onChange={(event) => setCustomerInput(event.target.value)}
        />
      }
    >
      {listeners.isPending && <LoadingRows label="Loading listeners…" rows={2} rowClassName="h-12" />}
      {listeners.isError && (
        <div className="p-4">
          <QueryError what="listeners" error={listeners.error} onRetry={() => listeners.refetch()} />
        </div>
      )}
      {listeners.data && listeners.data.items.length === 0 && customer !== undefined && (
        <p className="p-4 text-sm text-zinc-700">No listener of this hook belongs to “{customer}”.</p>
      )}
      {listeners.data && listeners.data.items.length === 0 && customer === undefined && (
        <div className="p-4 text-sm text-zinc-700">
          <p>
            No listener yet. A listener is a URL Durian POSTs this hook&apos;s events to, optionally only the
            ones its filter matches.
          </p>
          <Link
            href={newListenerHref}
            className="mt-2 inline-block font-medium text-brand-700 underline underline-offset-2"
          >
            Add the first listener
          </Link>
        </div>
      )}
      {listeners.data && listeners.data.items.length > 0 && (
        <ul className="divide-y divide-zinc-200">
          {listeners.data.items.map((listener) => (
            <li key={listener.id} className="space-y-1 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link
                  href={`/projects/${projectId}/listeners/${listener.id}`}
                  className="min-w-0 break-all text-brand-700 underline-offset-2 hover:underline"
                >
                  {listener.name ?? <span className="font-mono">{listener.url}</span>}
                </Link>
                <span className="flex gap-1">
                  {listener.relay && <RelayBadge />}
                  <ListenerStatus enabled={listener.enabled} />
                </span>
              </div>
              {listener.name && <p className="font-mono text-xs break-all text-zinc-700">{listener.url}</p>}
              {listener.customer && (
                <p className="text-xs text-zinc-700">
                  Customer <span className="font-mono">{listener.customer}</span>
                </p>
              )}
              {listener.description && <p className="text-zinc-700">{listener.description}</p>}
              <FilterSummary clauses={describeFilter(listener.filter)} />
            </li>
          ))}
        </ul>
      )}
      {listeners.data?.nextCursor && (
        <p className="border-t border-zinc-200 px-4 py-2 text-xs text-zinc-600">
          Showing the newest {listeners.data.items.length} listeners.
        </p>
      )}
    </Card>
  );
}
