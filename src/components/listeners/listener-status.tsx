import { Badge } from "@/components/ui/badge";

/** Enabled or disabled (the listener's page says why: a user's choice, or the runner giving up). */
export function ListenerStatus({ enabled }: { enabled: boolean }) {
  return enabled ? <Badge tone="good">Enabled</Badge> : <Badge tone="bad">Disabled</Badge>;
}

/** A relay listener: `durian listen` receives its deliveries on a developer's machine. */
export function RelayBadge() {
  return <Badge tone="info">Relay</Badge>;
}

export function FilterSummary({ clauses }: { clauses: string[] }) {
  if (clauses.length === 0) return <span className="text-zinc-600">every event (no filter)</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Filter">
      {clauses.map((clause, index) => (
        <li
          key={index}
          className="rounded bg-brand-50 px-1.5 py-0.5 font-mono text-xs break-all text-zinc-800 ring-1 ring-brand-100"
        >
          {clause}
        </li>
      ))}
    </ul>
  );
}
