"use client";

import { useQuery } from "@tanstack/react-query";
import { formatRelative } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat";
import { useTRPC } from "@/trpc/react";

const REFRESH_MS = 15_000;

/**
 * A listener's health (enabled, failures in a row) and backlog: deliveries due now and how long the
 * oldest has waited, so a receiver falling behind shows before its deliveries fail.
 */
export function ListenerBacklog({
  projectId,
  listener,
}: {
  projectId: string;
  listener: { id: string; enabled: boolean; consecutiveFailures: number };
}) {
  const trpc = useTRPC();
  const backlog = useQuery(trpc.chart.backlog.queryOptions({ projectId }, { refetchInterval: REFRESH_MS }));
  const health = !listener.enabled
    ? { tone: "bad" as const, label: "Disabled" }
    : listener.consecutiveFailures > 0
      ? { tone: "warn" as const, label: `Failing: ${listener.consecutiveFailures} in a row` }
      : { tone: "good" as const, label: "Healthy" };

  return (
    <Card title="Health and backlog" titleId="listener-backlog-heading">
      <div className="space-y-3 p-4" data-testid="listener-backlog">
        <p className="text-sm">
          <Badge tone={health.tone}>{health.label}</Badge>
        </p>
        {backlog.isPending ? (
          <LoadingRows label="Loading the backlog…" rows={1} />
        ) : backlog.isError ? (
          <QueryError what="the backlog" error={backlog.error} onRetry={() => backlog.refetch()} />
        ) : (
          <BacklogFigures
            entry={backlog.data.listeners.find((entry) => entry.listenerId === listener.id)}
            truncated={backlog.data.truncated}
          />
        )}
      </div>
    </Card>
  );
}

function BacklogFigures({
  entry,
  truncated,
}: {
  entry: { due: number; oldestDueAt: Date } | undefined;
  truncated: boolean;
}) {
  return (
    <>
      <dl className="grid grid-cols-2 gap-2 sm:gap-3">
        <StatTile
          label="Due now"
          value={entry ? `${entry.due}${truncated ? "+" : ""}` : truncated ? "—" : "0"}
        />
        <StatTile label="Oldest due" value={entry ? formatRelative(entry.oldestDueAt) : "—"} />
      </dl>
      {truncated && (
        <p className="text-xs text-zinc-600">
          The project has a large backlog: these figures cover its oldest due deliveries only.
        </p>
      )}
    </>
  );
}
