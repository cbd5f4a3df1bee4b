import { DELIVERY_STATUSES } from "@/contracts/events";

// The delivery log's filters as they travel in the page's URL (?status=&hook=&listener=&since=&until=).

export type DeliveryStatusFilter = (typeof DELIVERY_STATUSES)[number];

export interface LogFilters {
  status?: DeliveryStatusFilter;
  hook?: string;
  listenerId?: string;
  /** ISO 8601 */
  since?: string;
  /** ISO 8601 */
  until?: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** The filters in a URL; an unknown status is passed on so the service can say what is wrong with it. */
export function filtersFromSearchParams(params: SearchParams): LogFilters {
  const filters: LogFilters = {};
  const status = single(params.status);
  if (status !== undefined) filters.status = status as DeliveryStatusFilter;
  const hook = single(params.hook);
  if (hook !== undefined) filters.hook = hook;
  const listenerId = single(params.listener);
  if (listenerId !== undefined) filters.listenerId = listenerId;
  const since = single(params.since);
  if (since !== undefined) filters.since = since;
  const until = single(params.until);
  if (until !== undefined) filters.until = until;
  return filters;
}

export function searchParamsFromFilters(filters: LogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.hook) params.set("hook", filters.hook);
  if (filters.listenerId) params.set("listener", filters.listenerId);
  if (filters.since) params.set("since", filters.since);
  if (filters.until) params.set("until", filters.until);
  return params;
}

export function isDeliveryStatus(value: string | undefined): value is DeliveryStatusFilter {
  return (DELIVERY_STATUSES as readonly string[]).includes(value ?? "");
}

/** The field of the filter form a service error path (`status`, `hook`, `listenerId`, `since`…) belongs to. */
export function filterFieldOf(path: string): keyof LogFilters | null {
  const field = path.split(".")[0];
  return field === "status" ||
    field === "hook" ||
    field === "listenerId" ||
    field === "since" ||
    field === "until"
    ? field
    : null;
}
