import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import type { FieldError } from "@/server/services/errors";
import { ValidationError } from "@/server/services/errors";
import { serverCaller } from "@/trpc/server";
import { DeliveryFilters } from "./delivery-filters";
import { DeliveryLog } from "./delivery-log";
import { filtersFromSearchParams, searchParamsFromFilters } from "./log-filters";
import { RetentionNote } from "../retention-note";

export const metadata: Metadata = { title: "Deliveries" };

/** The field errors of a rejected filter, or null when the failure was something else. */
function filterErrors(error: unknown): FieldError[] | null {
  if (!(error instanceof TRPCError) || error.code !== "BAD_REQUEST") return null;
  const cause = error.cause;
  if (cause instanceof ValidationError) return cause.fieldErrors;
  return [{ path: "", message: error.message }];
}

export default async function DeliveriesPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const filters = filtersFromSearchParams(await searchParams);
  const caller = await serverCaller();
  const renderedAt = new Date();
  const [choices, firstPage] = await Promise.all([
    caller.delivery.filterChoices({ projectId }),
    caller.delivery.list({ projectId, ...filters }).then(
      (page) => ({ page, errors: [] as FieldError[] }),
      (error: unknown) => {
        const errors = filterErrors(error);
        if (!errors) throw error;
        return { page: { items: [], nextCursor: null }, errors };
      },
    ),
  ]);
  const hookNames = Object.fromEntries(choices.hooks.map((hook) => [hook.id, hook.name]));
  const unplacedErrors = firstPage.errors.filter(
    (error) => !/^(status|hook|listenerId|since|until)\b/.test(error.path),
  );

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Deliveries</h1>
        <p className="mt-1 text-sm text-zinc-700">
          Every attempt to send an event to a listener. Open one to see the request, the response and what
          happens next.
        </p>
        <RetentionNote />
      </div>
      <DeliveryFilters
        filters={filters}
        hooks={choices.hooks}
        listeners={choices.listeners}
        serverErrors={firstPage.errors}
      />
      {unplacedErrors.map((error) => (
        <p
          key={error.path + error.message}
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {error.message}
        </p>
      ))}
      {firstPage.errors.length === 0 && (
        <DeliveryLog
          // A new set of filters is a new log.
          key={searchParamsFromFilters(filters).toString()}
          projectId={projectId}
          filters={filters}
          initialPage={firstPage.page}
          renderedAt={renderedAt}
          hookNames={hookNames}
        />
      )}
    </div>
  );
}
