"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { Sparkline } from "@/components/charts/sparkline";
import { MAX_SPARKLINE_HOOKS } from "@/contracts/charts";
import { fieldTypeLabel, isBareField, normalizeHookField, type HookFieldInput } from "@/core/hook-fields";
import { formatPercent } from "@/components/format";
import { NoHooksYet } from "@/components/hooks/no-hooks-yet";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { LoadingRows } from "@/components/ui/skeleton";
import { QueryError } from "@/components/ui/query-error";
import { useDebouncedValue } from "@/components/use-debounced-value";
import { useTRPC } from "@/trpc/react";

/** While the project has no hooks, the list looks again this often, so the first one shows up by itself. */
const WAIT_FOR_FIRST_HOOK_MS = 3000;
/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

export function HooksList({ projectId, apiOrigin }: { projectId: string; apiOrigin: string }) {
  const trpc = useTRPC();
  const searchId = useId();
  const [search, setSearch] = useState("");
  // The server searches, so hooks beyond the pages loaded are found too.
  const query = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  const hooks = useInfiniteQuery(
    trpc.hook.list.infiniteQueryOptions(
      { projectId, ...(query && { search: query }) },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        // The list stays on screen while the next search runs.
        placeholderData: keepPreviousData,
        // Hooks are registered by apps, not on this page: always look again, and keep looking while there are none.
        staleTime: 0,
        refetchInterval: (current) =>
          !query && current.state.data?.pages[0]?.items.length === 0 ? WAIT_FOR_FIRST_HOOK_MS : false,
      },
    ),
  );

  const shownIds = (hooks.data?.pages.flatMap((page) => page.items.map((hook) => hook.id)) ?? []).slice(
    0,
    MAX_SPARKLINE_HOOKS,
  );
  const sparklines = useQuery(
    trpc.chart.hookSparklines.queryOptions(
      { projectId, hookIds: shownIds },
      { enabled: shownIds.length > 0, placeholderData: keepPreviousData },
    ),
  );
  const sparklineOf = (hookId: string) => {
    const line = sparklines.data?.find((entry) => entry.hookId === hookId);
    return line ? <Sparkline succeeded={line.succeeded} failed={line.failed} /> : null;
  };

  if (hooks.isPending) return <LoadingRows label="Loading hooks…" rows={4} rowClassName="h-14" />;
  if (hooks.isError) return <QueryError what="hooks" error={hooks.error} onRetry={() => hooks.refetch()} />;

  const shown = hooks.data.pages.flatMap((page) => page.items);
  if (shown.length === 0 && !query && !search.trim()) {
    return <NoHooksYet projectId={projectId} apiOrigin={apiOrigin} />;
  }
  const count = `${shown.length}${hooks.hasNextPage ? "+" : ""}`;
  const base = `/projects/${projectId}/hooks`;

  return (
    <div className="space-y-3">
      <div className="relative max-w-sm">
        <label htmlFor={searchId} className="sr-only">
          Search hooks
        </label>
        <Search aria-hidden className="pointer-events-none absolute top-2.5 left-3 size-4 text-zinc-500" />
        <input
          id={searchId}
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder="Search by name or field"
          className={`${inputClass} pl-9`}
        />
      </div>
      <p className="text-sm text-zinc-600" aria-live="polite">
        {query
          ? `${count} hook${count === "1" ? "" : "s"} match “${query}”`
          : `${count} hook${count === "1" ? "" : "s"} · events and success rate over the last 24 hours`}
      </p>

      {shown.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 text-center text-sm text-zinc-700">
          No hook matches “{query}”. Search looks at names, descriptions and fields.
        </p>
      ) : (
        <>
          <table className="hidden w-full overflow-hidden rounded-lg border border-zinc-200 bg-white text-sm md:table">
            <caption className="sr-only">Hooks of this project</caption>
            <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Hook
                </th>
                <th scope="col" className="px-4 py-2">
                  Fields (providesArgs)
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Listeners
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Events 24 h
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  Success 24 h
                </th>
                <th scope="col" className="px-4 py-2">
                  Deliveries 24 h
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200">
              {shown.map((hook) => (
                <tr key={hook.id} className="hover:bg-zinc-50">
                  <td className="px-4 py-3 align-top">
                    <Link
                      href={`${base}/${encodeURIComponent(hook.name)}`}
                      className="font-mono font-medium text-brand-700 underline-offset-2 hover:underline"
                    >
                      {hook.name}
                    </Link>
                    {hook.verboseName && <div className="text-zinc-600">{hook.verboseName}</div>}
                  </td>
                  <td className="px-4 py-3 align-top">
                    <FieldList fields={hook.providesArgs} />
                  </td>
                  <td className="px-4 py-3 text-right align-top tabular-nums">{hook.stats.listeners}</td>
                  <td className="px-4 py-3 text-right align-top tabular-nums">{hook.stats.events24h}</td>
                  <td className="px-4 py-3 text-right align-top tabular-nums">
                    {formatPercent(hook.stats.successRate24h)}
                  </td>
                  <td className="px-4 py-3 align-top">{sparklineOf(hook.id)}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <ul className="space-y-2 md:hidden" aria-label="Hooks of this project">
            {shown.map((hook) => (
              <li key={hook.id} className="rounded-lg border border-zinc-200 bg-white p-3 text-sm">
                <Link
                  href={`${base}/${encodeURIComponent(hook.name)}`}
                  className="font-mono font-medium break-all text-brand-700 underline-offset-2 hover:underline"
                >
                  {hook.name}
                </Link>
                {hook.verboseName && <div className="text-zinc-600">{hook.verboseName}</div>}
                <div className="mt-2">
                  <FieldList fields={hook.providesArgs} />
                </div>
                <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
                  <Stat label="Listeners" value={String(hook.stats.listeners)} />
                  <Stat label="Events 24 h" value={String(hook.stats.events24h)} />
                  <Stat label="Success 24 h" value={formatPercent(hook.stats.successRate24h)} />
                </dl>
                <div className="mt-2">{sparklineOf(hook.id)}</div>
              </li>
            ))}
          </ul>
        </>
      )}

      {hooks.hasNextPage && (
        <Button variant="secondary" busy={hooks.isFetchingNextPage} onClick={() => hooks.fetchNextPage()}>
          Load more hooks
        </Button>
      )}
    </div>
  );
}

/** The hook's fields by name, each typed one with its type (`age: integer`). */
export function FieldList({ fields }: { fields: readonly HookFieldInput[] }) {
  if (fields.length === 0) return <span className="text-zinc-600">no fields</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Fields">
      {fields.map(normalizeHookField).map((field) => (
        <li key={field.name} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">
          {field.name}
          {!isBareField(field) && (
            <span className="text-zinc-600">
              : {fieldTypeLabel(field.schema)}
              {field.required && " (required)"}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-zinc-600">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}
