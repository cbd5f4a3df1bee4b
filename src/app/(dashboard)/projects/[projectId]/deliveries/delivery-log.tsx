"use client";

import Link from "next/link";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { DeliveryStatusBadge } from "@/components/deliveries/delivery-status-badge";
import { AgeAndTimestamp, Timestamp } from "@/components/deliveries/timestamp";
import { usePolling } from "@/components/deliveries/use-polling";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { DeliveryRecord } from "@/server/services/deliveries-read";
import { useTRPCClient } from "@/trpc/react";
import { appendOlder, initialLiveLog, type LiveLogState, mergeChanges, showWaiting } from "./live-log-state";
import type { LogFilters } from "./log-filters";
import { listenerLabel } from "@/components/listeners/listener-label";

/** New rows and status changes show up within two polls. */
const POLL_INTERVAL_MS = 1000;
/** Each poll looks this far behind the newest change seen, for transactions that committed late. */
const LATE_COMMIT_MARGIN_MS = 2000;
/** A burst bigger than one answer is caught up with at most this many requests per poll. */
const MAX_REQUESTS_PER_POLL = 5;
/** Within this distance of the top of the page, new rows go straight in; further down they wait. */
const AT_TOP_PX = 80;

type Action =
  | {
      type: "changes";
      items: DeliveryRecord[];
      showNew: boolean;
      belongs: (delivery: DeliveryRecord) => boolean;
    }
  | { type: "show-waiting" }
  | { type: "older"; page: { items: DeliveryRecord[]; nextCursor: string | null } };

function reducer(state: LiveLogState<DeliveryRecord>, action: Action): LiveLogState<DeliveryRecord> {
  switch (action.type) {
    case "changes":
      return mergeChanges(state, action.items, action.showNew, action.belongs);
    case "show-waiting":
      return showWaiting(state);
    case "older":
      return appendOlder(state, action.page);
  }
}

function readerIsAtTop(): boolean {
  return window.scrollY < AT_TOP_PX;
}

export function DeliveryLog({
  projectId,
  filters,
  initialPage,
  renderedAt,
  hookNames,
}: {
  projectId: string;
  filters: LogFilters;
  initialPage: { items: DeliveryRecord[]; nextCursor: string | null };
  renderedAt: Date;
  hookNames: Record<string, string>;
}) {
  const client = useTRPCClient();
  const [state, dispatch] = useReducer(reducer, undefined, () => initialLiveLog(initialPage, renderedAt));
  const watermark = useRef(state.watermark);
  useEffect(() => {
    watermark.current = state.watermark;
  }, [state.watermark]);
  const [live, setLive] = useState<{ ok: boolean; at: Date | null }>({ ok: true, at: null });
  const [older, setOlder] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });

  const poll = useCallback(async () => {
    let changedSince = new Date(watermark.current - LATE_COMMIT_MARGIN_MS);
    // Changes are asked for without the status filter, so that a row on screen whose status moves
    // out of the filter is still updated; new rows must have the status asked for.
    const { status, ...otherFilters } = filters;
    const belongs = (delivery: DeliveryRecord) => status === undefined || delivery.status === status;
    try {
      for (let request = 0; request < MAX_REQUESTS_PER_POLL; request++) {
        const changes = await client.delivery.changes.query({ projectId, ...otherFilters, changedSince });
        dispatch({ type: "changes", items: changes.items, showNew: readerIsAtTop(), belongs });
        const last = changes.items.at(-1);
        if (!changes.more || !last) break;
        changedSince = last.updatedAt;
      }
      setLive({ ok: true, at: new Date() });
    } catch {
      setLive((previous) => ({ ok: false, at: previous.at }));
    }
  }, [client, projectId, filters]);
  usePolling(poll, POLL_INTERVAL_MS);

  async function loadOlder() {
    if (!state.nextCursor) return;
    setOlder({ loading: true, error: null });
    try {
      const page = await client.delivery.list.query({ projectId, ...filters, cursor: state.nextCursor });
      dispatch({ type: "older", page });
      setOlder({ loading: false, error: null });
    } catch (error) {
      setOlder({
        loading: false,
        error: error instanceof Error ? error.message : "Could not load older deliveries",
      });
    }
  }

  function showNewRows() {
    dispatch({ type: "show-waiting" });
    window.scrollTo({ top: 0 });
  }

  const waitingCount = state.waiting.length;
  return (
    <div className="space-y-2">
      {/* Always the same height, so nothing below it moves when its content changes. */}
      <div className="flex h-10 items-center justify-between gap-2 text-sm">
        <p aria-live="polite" className="flex items-center gap-2 text-zinc-700">
          <span
            aria-hidden
            className={`inline-block size-2 rounded-full ${live.ok ? "bg-green-600" : "bg-amber-500"}`}
          />
          {live.ok ? "Live: new deliveries and status changes appear here" : "Connection lost; retrying…"}
        </p>
        {waitingCount > 0 && (
          <Button type="button" variant="secondary" className="min-h-8 py-1" onClick={showNewRows}>
            Show {waitingCount} new {waitingCount === 1 ? "delivery" : "deliveries"}
          </Button>
        )}
      </div>

      {state.rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 text-center text-sm text-zinc-700">
          <p className="font-medium text-zinc-900">
            No deliveries {hasFilters(filters) ? "match these filters" : "yet"}
          </p>
          <p className="mt-1">
            A delivery is made for each listener an event matches. Send an event to a hook with listeners, or
            point a listener at the{" "}
            <Link className="text-brand-700 underline" href={`/projects/${projectId}/inspector`}>
              request inspector
            </Link>{" "}
            to watch one arrive. New deliveries appear here as they happen.
          </p>
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white">
          <table className="w-full table-fixed text-left text-sm" aria-label="Deliveries, newest first">
            <colgroup>
              <col className="w-32" />
              <col className="w-[7.5rem]" />
              <col />
              <col className="hidden lg:table-column" />
              <col className="hidden w-24 xl:table-column" />
              <col className="hidden w-20 sm:table-column" />
              <col className="hidden w-14 sm:table-column" />
              <col className="hidden w-36 md:table-column" />
            </colgroup>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-700">
              <tr className="h-9">
                <th scope="col" className="px-3">
                  Created
                </th>
                <th scope="col" className="px-2">
                  Status
                </th>
                <th scope="col" className="px-2">
                  Hook
                </th>
                <th scope="col" className="hidden px-2 lg:table-cell">
                  Listener
                </th>
                <th scope="col" className="hidden px-2 xl:table-cell">
                  Event
                </th>
                <th scope="col" className="hidden px-2 text-right sm:table-cell">
                  Attempts
                </th>
                <th scope="col" className="hidden px-2 text-right sm:table-cell">
                  Code
                </th>
                <th scope="col" className="hidden px-2 md:table-cell">
                  Last / next attempt
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {state.rows.map((delivery) => (
                <DeliveryRow
                  key={delivery.id}
                  delivery={delivery}
                  hookName={hookNames[delivery.hookId] ?? "(deleted hook)"}
                  href={`/projects/${projectId}/deliveries/${delivery.id}`}
                  eventHref={`/projects/${projectId}/events/${delivery.eventId}`}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="flex min-h-10 flex-wrap items-center gap-3">
        {state.nextCursor ? (
          <Button type="button" variant="secondary" busy={older.loading} onClick={loadOlder}>
            Load older deliveries
          </Button>
        ) : (
          state.rows.length > 0 && (
            <p className="text-sm text-zinc-600">
              That is the oldest delivery{hasFilters(filters) ? " matching these filters" : ""}.
            </p>
          )
        )}
        <FormError message={older.error} />
      </div>
    </div>
  );
}

function hasFilters(filters: LogFilters): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

function DeliveryRow({
  delivery,
  hookName,
  href,
  eventHref,
}: {
  delivery: DeliveryRecord;
  hookName: string;
  href: string;
  eventHref: string;
}) {
  const scheduled =
    delivery.status === "pending" || delivery.status === "delivering" ? delivery.nextAttemptAt : null;
  return (
    <tr
      className="relative h-12 cursor-pointer hover:bg-zinc-50"
      data-delivery-id={delivery.id}
      data-status={delivery.status}
    >
      <td className="px-3">
        {/* The link covers the whole row (see `after:`), so any part of it opens the delivery. */}
        <Link
          href={href}
          className="block min-w-0 after:absolute after:inset-0 hover:underline focus-visible:outline-offset-[-2px]"
        >
          <span className="sr-only">Delivery of {hookName} created </span>
          <AgeAndTimestamp value={delivery.createdAt} />
        </Link>
      </td>
      <td className="px-2">
        <DeliveryStatusBadge status={delivery.status} />
      </td>
      <td className="truncate px-2 font-mono text-xs" title={hookName}>
        {hookName}
      </td>
      <td className="hidden truncate px-2 text-xs text-zinc-700 lg:table-cell" title={delivery.listenerUrl}>
        {listenerLabel({ name: delivery.listenerName, url: delivery.listenerUrl })}
      </td>
      <td className="hidden truncate px-2 font-mono text-xs xl:table-cell">
        {/* Above the row's link, so it can be clicked on its own. */}
        <Link
          href={eventHref}
          className="relative z-10 text-brand-700 hover:underline"
          title={delivery.eventId}
        >
          <span className="sr-only">Event </span>
          {delivery.eventId.slice(-8)}
        </Link>
      </td>
      <td className="hidden px-2 text-right tabular-nums sm:table-cell">{delivery.attemptCount}</td>
      <td className="hidden px-2 text-right tabular-nums sm:table-cell">{delivery.lastStatusCode ?? "—"}</td>
      <td className="hidden px-2 text-xs leading-4 md:table-cell">
        <span className="block truncate">
          <span className="sr-only">Last attempt </span>
          <Timestamp value={delivery.lastAttemptAt} empty="not yet" compact />
        </span>
        <span className="block truncate text-zinc-600">
          {scheduled ? (
            <>
              next <Timestamp value={scheduled} compact />
            </>
          ) : (
            <span className="sr-only">no next attempt</span>
          )}
        </span>
      </td>
    </tr>
  );
}
