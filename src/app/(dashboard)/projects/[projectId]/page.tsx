import type { Metadata } from "next";
import { DeliveryChartPanel } from "@/components/charts/delivery-chart-panel";
import { browserOrigin } from "@/server/http/browser-origin";
import { HooksList } from "./hooks-list";
import { OperationalHooks } from "./operational-hooks";

export const metadata: Metadata = { title: "Hooks" };

export default async function HooksPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Hooks</h1>
      <HooksList projectId={projectId} apiOrigin={await browserOrigin()} />
      <DeliveryChartPanel projectId={projectId} title="Deliveries in this project" />
      <OperationalHooks projectId={projectId} />
    </div>
  );
}
