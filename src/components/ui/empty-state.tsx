import type { ReactNode } from "react";

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 text-center">
      <h2 className="text-base font-semibold text-zinc-900">{title}</h2>
      {children && <div className="mx-auto mt-2 max-w-xl text-sm text-zinc-700">{children}</div>}
    </section>
  );
}
