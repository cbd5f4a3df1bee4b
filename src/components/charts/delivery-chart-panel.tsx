"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { ChartRange } from "@/contracts/charts";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { useTRPC } from "@/trpc/react";
import { DeliveryChartView } from "./delivery-chart-view";

/** The charts follow new attempts this often (the rollups change with every recorded batch). */
const REFRESH_MS = 60_000;

const RANGE_LABELS: Record<ChartRange, string> = { "24h": "24 hours", "7d": "7 days" };

/** Deliveries over time for a project, one of its hooks (by name) or one listener, 24 h or 7 days. */
export function DeliveryChartPanel({
  projectId,
  hook,
  listenerId,
  title = "Deliveries",
}: {
  projectId: string;
  hook?: string;
  listenerId?: string;
  title?: string;
}) {
  const trpc = useTRPC();
  const headingId = useId();
  const summaryId = useId();
  const [range, setRange] = useState<ChartRange>("24h");
  const chart = useQuery(
    trpc.chart.deliveries.queryOptions(
      { projectId, range, hook, listenerId },
      { placeholderData: keepPreviousData, refetchInterval: REFRESH_MS },
    ),
  );

  return (
    <Card
      title={title}
      titleId={headingId}
      actions={
        <div role="group" aria-label="Chart window" className="flex gap-1">
          {(Object.keys(RANGE_LABELS) as ChartRange[]).map((option) => (
            <Button
              key={option}
              variant={option === range ? "primary" : "secondary"}
              aria-pressed={option === range}
              onClick={() => setRange(option)}
            >
              {RANGE_LABELS[option]}
            </Button>
          ))}
        </div>
      }
    >
      <div className="p-4" data-testid="delivery-chart">
        {chart.isPending ? (
          <LoadingRows label="Loading the chart…" rows={2} rowClassName="h-16" />
        ) : chart.isError ? (
          <QueryError what="the chart" error={chart.error} onRetry={() => chart.refetch()} />
        ) : (
          <DeliveryChartView chart={chart.data} summaryId={summaryId} />
        )}
      </div>
    </Card>
  );
}
