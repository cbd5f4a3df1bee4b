import { clsx } from "clsx";
import { CircleCheck, CircleX, Clock, LoaderCircle } from "lucide-react";
import type { DeliveryStatus } from "@/generated/prisma/enums";

const looks = {
  pending: { label: "Pending", icon: Clock, className: "bg-zinc-100 text-zinc-800" },
  delivering: { label: "Delivering", icon: LoaderCircle, className: "bg-sky-100 text-sky-900" },
  succeeded: { label: "Succeeded", icon: CircleCheck, className: "bg-green-100 text-green-900" },
  failed: { label: "Failed", icon: CircleX, className: "bg-red-100 text-red-900" },
} as const;

/** A delivery's status: a word and an icon as well as a colour, always the same width. */
export function DeliveryStatusBadge({ status, className }: { status: DeliveryStatus; className?: string }) {
  const { label, icon: Icon, className: tone } = looks[status];
  return (
    <span
      data-status={status}
      className={clsx(
        "inline-flex w-28 items-center gap-1.5 rounded px-2 py-0.5 text-xs font-medium",
        tone,
        className,
      )}
    >
      <Icon aria-hidden className="size-3.5 shrink-0" />
      {label}
    </span>
  );
}
