import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { serverCaller } from "@/trpc/server";
import { EventHookFilter } from "./event-hook-filter";
import { EventList } from "./event-list";
import { RetentionNote } from "../retention-note";

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ hook?: string | string[] }>;
}) {
  const { projectId } = await params;
  const rawHook = (await searchParams).hook;
  const hook = (Array.isArray(rawHook) ? rawHook[0] : rawHook) || undefined;
  const caller = await serverCaller();
  const [choices, firstPage] = await Promise.all([
    caller.delivery.filterChoices({ projectId }),
    caller.event.list({ projectId, hook }).then(
      (page) => ({ page, error: null }),
      (error: unknown) => {
        if (error instanceof TRPCError && error.code === "BAD_REQUEST")
          return { page: null, error: error.message };
        throw error;
      },
    ),
  ]);

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Events</h1>
        <p className="mt-1 text-sm text-zinc-700">
          Every event your app sent, with the payload as stored (only the hook’s fields) and where it was
          delivered.
        </p>
        <RetentionNote />
      </div>
      <EventHookFilter
        hook={hook}
        hooks={choices.hooks.map((entry) => entry.name)}
        serverError={firstPage.error}
      />
      {firstPage.page && (
        <EventList key={hook ?? ""} projectId={projectId} hook={hook} initialPage={firstPage.page} />
      )}
    </div>
  );
}
