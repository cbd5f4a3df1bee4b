import type { Metadata } from "next";
import { DeliveryChartPanel } from "@/components/charts/delivery-chart-panel";
import { publicOrigin } from "@/server/http/origins";
import { HooksList } from "./hooks-list";

export const metadata: Metadata = { title: "Hooks" };

export default async function HooksPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Hooks</h1>
      <HooksList projectId={projectId} apiOrigin={publicOrigin()} />
      <DeliveryChartPanel projectId={projectId} title="Deliveries in this project" />
    </div>
  );
}
