"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { compileFilter, validateFilter, type HookFieldsLike } from "@/core/filter";
import { previewJson } from "@/components/format";
import { QueryError } from "@/components/ui/query-error";
import { Skeleton } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { useTRPC } from "@/trpc/react";
import type { FilterFromForm } from "./form-schema";

/** The preview replays the filter on this many of the hook's latest events (the router's default). */
export const PREVIEW_EVENTS = 50;

/**
 * "Would have matched K of the last N events": the filter being edited, compiled by the same matcher
 * the server uses, run in the browser on the hook's latest stored events as the user types.
 */
export function FilterPreview({
  projectId,
  hookName,
  fields,
  filter,
}: {
  projectId: string;
  hookName: string;
  fields: HookFieldsLike;
  filter: FilterFromForm;
}) {
  const trpc = useTRPC();
  const events = useQuery({
    ...trpc.hook.recentEvents.queryOptions({ projectId, name: hookName, limit: PREVIEW_EVENTS }),
    staleTime: 0,
  });
  const filterKey = filter.ok ? JSON.stringify(filter.filter) : null;

  const predicate = useMemo(() => {
    if (filterKey === null) return null;
    const parsed = JSON.parse(filterKey) as Record<string, unknown>;
    return validateFilter(parsed, fields).ok ? compileFilter(parsed) : null;
  }, [filterKey, fields]);

  const matched = useMemo(
    () => (predicate && events.data ? events.data.items.filter((event) => predicate(event.payload)) : null),
    [predicate, events.data],
  );

  const recent = events.data?.items;
  const hasConditions = filter.ok && Object.keys(filter.filter).length > 0;

  return (
    <section aria-labelledby="preview-heading" className="rounded-lg border border-zinc-200 bg-zinc-50 p-3">
      <h3 id="preview-heading" className="text-sm font-semibold text-zinc-900">
        Preview
      </h3>
      {filter.ok && !hasConditions && (
        <p className="mt-1 text-sm text-zinc-800" data-testid="filter-preview-no-filters">
          No filters: every event is delivered.
        </p>
      )}
      <div
        className="mt-1 min-h-5 text-sm text-zinc-800"
        aria-live="polite"
        data-testid="filter-preview-summary"
      >
        {events.isPending && <Skeleton className="h-5 w-64" />}
        {events.isError && (
          <QueryError what="recent events" error={events.error} onRetry={() => events.refetch()} />
        )}
        {recent &&
          recent.length === 0 &&
          "No events yet: once this hook sends some, you see here which the filter matches."}
        {recent && recent.length > 0 && !matched && "Fix the filter to see which recent events it matches."}
        {recent && recent.length > 0 && matched && (
          <>
            Would have matched <strong>{matched.length}</strong> of the last {recent.length} event
            {recent.length === 1 ? "" : "s"}.
          </>
        )}
      </div>
      {/* Only with events to list; then a fixed height, so the form below does not move as matches come and go. */}
      {recent && recent.length > 0 && (
        <ul
          aria-label="Matching events"
          className="mt-2 h-40 space-y-1 overflow-y-auto rounded border border-zinc-200 bg-white p-2"
          tabIndex={0}
        >
          {matched?.map((event) => (
            <li key={event.id} className="flex gap-2 text-xs">
              <span className="w-24 shrink-0 text-zinc-600">
                <TimeAgo date={event.createdAt} />
              </span>
              <code className="min-w-0 font-mono break-all text-zinc-800">
                {previewJson(event.payload, 160)}
              </code>
            </li>
          ))}
          {matched && matched.length === 0 && <li className="text-xs text-zinc-600">None of them.</li>}
          {!matched && <li className="text-xs text-zinc-600">Matching events appear here.</li>}
        </ul>
      )}
    </section>
  );
}
