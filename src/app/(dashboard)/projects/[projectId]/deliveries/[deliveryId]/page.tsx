import type { Metadata } from "next";
import { serverCaller } from "@/trpc/server";
import { orNotFound } from "../../load";
import { DeliveryDetailView } from "./delivery-detail-view";

export const metadata: Metadata = { title: "Delivery" };

export default async function DeliveryPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; deliveryId: string }>;
  searchParams: Promise<{ attempt?: string }>;
}) {
  const { projectId, deliveryId } = await params;
  const { attempt } = await searchParams;
  const caller = await serverCaller();
  const delivery = await orNotFound(caller.delivery.get({ projectId, deliveryId }));
  const requestedAttempt = Number(attempt);
  return (
    <DeliveryDetailView
      projectId={projectId}
      initial={delivery}
      initialAttempt={Number.isInteger(requestedAttempt) && requestedAttempt > 0 ? requestedAttempt : null}
    />
  );
}
