import type { Metadata } from "next";
import { serverCaller } from "@/trpc/server";
import { orNotFound } from "../../load";
import { EventDetailView } from "./event-detail-view";

export const metadata: Metadata = { title: "Event" };

export default async function EventPage({
  params,
}: {
  params: Promise<{ projectId: string; eventId: string }>;
}) {
  const { projectId, eventId } = await params;
  const caller = await serverCaller();
  const event = await orNotFound(caller.event.get({ projectId, eventId }));
  return <EventDetailView projectId={projectId} initial={event} />;
}
