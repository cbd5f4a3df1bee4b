"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/trpc/react";

/**
 * Durian's own hooks: what happens to listeners and deliveries, delivered like any event to the
 * listeners a user adds to them (an alerting endpoint, a chat webhook …).
 */
export function OperationalHooks({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const hooks = useQuery(trpc.hook.operational.queryOptions({ projectId }));
  if (!hooks.data || hooks.data.length === 0) return null;
  const base = `/projects/${projectId}/hooks`;
  return (
    <Card title="Operational events" titleId="operational-hooks-heading">
      <div className="space-y-3 p-4 text-sm">
        <p className="text-zinc-700">
          Durian sends these itself when a listener fails, is disabled or recovers, or a delivery runs out of
          retries. Add a listener to one to be told (filters, signatures and retries work as for any hook).
        </p>
        <ul className="divide-y divide-zinc-200">
          {hooks.data.map((hook) => (
            <li key={hook.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
              <div className="min-w-0">
                <Link
                  href={`${base}/${encodeURIComponent(hook.name)}`}
                  className="font-mono font-medium break-all text-brand-700 underline-offset-2 hover:underline"
                >
                  {hook.name}
                </Link>
                <div className="text-zinc-600">{hook.description}</div>
              </div>
              <span className="text-zinc-700 tabular-nums">
                {hook.stats.listeners} listener{hook.stats.listeners === 1 ? "" : "s"}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
