import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import type { ChartSlot } from "@/server/services/delivery-charts";

/** The outcomes stacked in each bar, bottom up, with their colours (Tailwind fill classes). */
export const OUTCOMES = [
  { key: "succeeded", label: "Succeeded", className: "fill-green-600", swatch: "bg-green-600" },
  { key: "retried", label: "Retried", className: "fill-amber-500", swatch: "bg-amber-500" },
  { key: "failed", label: "Failed", className: "fill-red-600", swatch: "bg-red-600" },
] as const;

const WIDTH = 720;
const HEIGHT = 180;
const MARGIN = { top: 8, right: 8, bottom: 24, left: 40 };

/**
 * Deliveries by outcome as stacked bars, one per slot, drawn as plain SVG (server-renderable, no
 * script needed to see it) that scales to its container's width. Each bar's title says its numbers.
 */
export function OutcomeBars({
  slots,
  slotLabel,
  axisLabel,
  describedBy,
}: {
  slots: readonly ChartSlot[];
  /** A slot's name in its title ("14:00", "Tue 1 Dec"). */
  slotLabel: (slot: ChartSlot) => string;
  /** Every how many slots the x axis names one. */
  axisLabel: { every: number };
  describedBy?: string;
}) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const total = (slot: ChartSlot) => slot.succeeded + slot.retried + slot.failed;
  const peak = Math.max(1, ...slots.map(total));
  const x = scaleBand<number>({
    domain: slots.map((_, index) => index),
    range: [0, innerWidth],
    padding: 0.2,
  });
  const y = scaleLinear<number>({ domain: [0, peak], range: [innerHeight, 0], nice: true });
  const top = y.domain()[1]!;

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="h-auto w-full"
      role="img"
      aria-describedby={describedBy}
      aria-label="Deliveries by outcome"
      data-testid="outcome-bars"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        {[...new Set([0, Math.round(top / 2), top])].map((tick) => (
          <g key={tick}>
            <line x1={0} x2={innerWidth} y1={y(tick)} y2={y(tick)} className="stroke-zinc-200" />
            <text x={-6} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-zinc-600 text-[11px]">
              {tick}
            </text>
          </g>
        ))}
        {slots.map((slot, index) => {
          let base = 0;
          return (
            <g key={index} data-slot={index}>
              <title>
                {`${slotLabel(slot)}: ${slot.succeeded} succeeded, ${slot.retried} retried, ${slot.failed} failed`}
              </title>
              {/* A transparent full-height bar, so the title shows wherever the slot is hovered. */}
              <Bar
                x={x(index)}
                y={0}
                width={x.bandwidth()}
                height={innerHeight}
                className="fill-transparent"
              />
              {OUTCOMES.map(({ key, className }) => {
                const value = slot[key];
                if (value === 0) return null;
                const bar = (
                  <Bar
                    key={key}
                    x={x(index)}
                    y={y(base + value)}
                    width={x.bandwidth()}
                    height={y(base) - y(base + value)}
                    className={className}
                  />
                );
                base += value;
                return bar;
              })}
              {index % axisLabel.every === 0 && (
                <text
                  x={(x(index) ?? 0) + x.bandwidth() / 2}
                  y={innerHeight + 16}
                  textAnchor="middle"
                  className="fill-zinc-600 text-[11px]"
                >
                  {slotLabel(slot)}
                </text>
              )}
            </g>
          );
        })}
      </Group>
    </svg>
  );
}
