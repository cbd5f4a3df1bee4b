import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";

const WIDTH = 96;
const HEIGHT = 24;

/**
 * A hook's last 24 hours at a glance: finished deliveries per hour as a line, failed ones as red
 * ticks along the bottom. Plain SVG; its label says the totals.
 */
export function Sparkline({
  succeeded,
  failed,
}: {
  succeeded: readonly number[];
  failed: readonly number[];
}) {
  const totals = succeeded.map((count, hour) => count + (failed[hour] ?? 0));
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const x = scaleLinear<number>({ domain: [0, Math.max(1, totals.length - 1)], range: [1, WIDTH - 1] });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...totals)], range: [HEIGHT - 3, 2] });
  const label = `Last 24 hours: ${sum(succeeded)} delivered, ${sum(failed)} failed`;
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
      data-testid="hook-sparkline"
    >
      <title>{label}</title>
      <LinePath
        data={totals}
        x={(_, hour) => x(hour)}
        y={(total) => y(total)}
        className="fill-none stroke-brand-600"
        strokeWidth={1.5}
      />
      {failed.map((count, hour) =>
        count > 0 ? (
          <rect key={hour} x={x(hour) - 1} y={HEIGHT - 3} width={2} height={3} className="fill-red-600" />
        ) : null,
      )}
    </svg>
  );
}
