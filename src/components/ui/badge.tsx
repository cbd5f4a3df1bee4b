import { clsx } from "clsx";
import type { ReactNode } from "react";

const tones = {
  neutral: "bg-zinc-100 text-zinc-800",
  good: "bg-green-100 text-green-900",
  bad: "bg-red-100 text-red-900",
  warn: "bg-amber-100 text-amber-900",
  info: "bg-brand-100 text-brand-700",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={clsx(
        "inline-flex items-center rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
