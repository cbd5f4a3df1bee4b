/** HTTP headers as a name/value list, names in a fixed column. */
export function HeadersList({ headers, label }: { headers: Record<string, string> | null; label: string }) {
  const entries = Object.entries(headers ?? {}).sort(([left], [right]) => left.localeCompare(right));
  if (entries.length === 0) return <p className="text-sm text-zinc-600">No headers.</p>;
  return (
    <dl
      aria-label={label}
      className="grid grid-cols-1 gap-x-4 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs sm:grid-cols-[minmax(8rem,14rem)_1fr]"
    >
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="pt-1 font-semibold text-zinc-800 sm:py-1">{name}</dt>
          <dd className="pb-1 break-all text-zinc-700 sm:py-1">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
