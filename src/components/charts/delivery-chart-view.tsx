import { formatPercent } from "@/components/format";
import { StatTile } from "@/components/ui/stat";
import type { DeliveryChart } from "@/server/services/delivery-charts";
import { OUTCOMES, OutcomeBars } from "./outcome-bars";

/** "38 ms", "2.4 s", "—". */
export function formatLatency(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// Formatters are made once: making one per call (toLocaleTimeString) costs more than drawing the bars.
const HOUR_FORMAT = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
/** The 7-day chart's slots are UTC days. */
const DAY_FORMAT = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});

function slotLabeller(chart: DeliveryChart): (slot: { start: Date }) => string {
  const format = chart.range === "24h" ? HOUR_FORMAT : DAY_FORMAT;
  return ({ start }) => format.format(start);
}

/** A chart's figures and bars: what the dashboard shows for a project, a hook or a listener. */
export function DeliveryChartView({ chart, summaryId }: { chart: DeliveryChart; summaryId: string }) {
  const { totals } = chart;
  const window = chart.range === "24h" ? "last 24 hours, by hour" : "last 7 days, by day (UTC)";
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 sm:gap-3">
        <StatTile label="Delivered" value={String(totals.succeeded)} />
        <StatTile label="Failed" value={String(totals.failed)} />
        <StatTile label="Success rate" value={formatPercent(totals.successRate)} />
        <StatTile
          label="Latency p50 / p95"
          value={`${formatLatency(totals.p50Ms)} / ${formatLatency(totals.p95Ms)}`}
        />
      </dl>
      <p id={summaryId} className="text-xs text-zinc-600">
        Deliveries by outcome, {window}: {totals.succeeded} succeeded, {totals.retried} attempts retried,{" "}
        {totals.failed} failed.
      </p>
      <OutcomeBars
        slots={chart.slots}
        slotLabel={slotLabeller(chart)}
        axisLabel={{ every: chart.range === "24h" ? 4 : 1 }}
        describedBy={summaryId}
      />
      <ul className="flex flex-wrap gap-3 text-xs text-zinc-700" aria-label="Legend">
        {OUTCOMES.map(({ key, label, swatch }) => (
          <li key={key} className="flex items-center gap-1.5">
            <span aria-hidden className={`inline-block size-2.5 rounded-sm ${swatch}`} />
            {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
