import { clsx } from "clsx";
import type { ReactNode } from "react";

/** A titled section of a page. */
export function Card({
  title,
  titleId,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  titleId?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={clsx("rounded-lg border border-zinc-200 bg-white", className)}
    >
      {(title || actions) && (
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3">
          {title && (
            <h2 id={titleId} className="text-base font-semibold text-zinc-900">
              {title}
            </h2>
          )}
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}
