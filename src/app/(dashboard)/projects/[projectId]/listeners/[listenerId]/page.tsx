import type { Metadata } from "next";
import { DeliveryChartPanel } from "@/components/charts/delivery-chart-panel";
import { ListenerBacklog } from "@/components/charts/listener-backlog";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { env } from "@/server/env";
import { loadListenerWithHook } from "../../load";
import { ListenerDetail } from "./listener-detail";
import { listenerLabel } from "@/components/listeners/listener-label";

export const metadata: Metadata = { title: "Listener" };

export default async function ListenerPage({
  params,
}: {
  params: Promise<{ projectId: string; listenerId: string }>;
}) {
  const { projectId, listenerId } = await params;
  const { listener, hook, fields } = await loadListenerWithHook(projectId, listenerId);
  const base = `/projects/${projectId}`;
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: "Hooks", href: base },
          { label: listener.hook, href: `${base}/hooks/${encodeURIComponent(listener.hook)}` },
          { label: listenerLabel(listener) },
        ]}
      />
      <ListenerDetail
        projectId={projectId}
        initialListener={listener}
        providesArgs={fields}
        latestVersion={hook.version}
        failingAfter={env().DURIAN_FAILING_AFTER_FAILURES}
      />
      <ListenerBacklog projectId={projectId} listener={listener} />
      <DeliveryChartPanel
        projectId={projectId}
        listenerId={listener.id}
        title="Deliveries to this listener"
      />
    </div>
  );
}
