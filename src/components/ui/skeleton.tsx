import { clsx } from "clsx";

/** A grey block standing in for content while it loads, sized like it so nothing jumps. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden className={clsx("block animate-pulse rounded bg-zinc-200", className)} />;
}

/** Rows of skeleton lines with a screen-reader announcement. */
export function LoadingRows({
  label,
  rows = 3,
  rowClassName = "h-10",
}: {
  label: string;
  rows?: number;
  rowClassName?: string;
}) {
  return (
    <div role="status" className="space-y-2 p-4">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} className={rowClassName} />
      ))}
    </div>
  );
}
