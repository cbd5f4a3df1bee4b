import type { Metadata } from "next";
import { listenerLabel } from "@/components/listeners/listener-label";
import { ListenerForm } from "@/components/listener-form/listener-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { loadListenerWithHook } from "../../../load";

export const metadata: Metadata = { title: "Edit listener" };

export default async function EditListenerPage({
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
          { label: hook.name, href: `${base}/hooks/${encodeURIComponent(hook.name)}` },
          { label: listenerLabel(listener), href: `${base}/listeners/${listener.id}` },
          { label: "Edit" },
        ]}
      />
      <h1 className="text-xl font-semibold">Edit listener</h1>
      <ListenerForm
        projectId={projectId}
        hook={{ name: hook.name, fields, configForm: hook.configForm }}
        listener={{
          id: listener.id,
          name: listener.name,
          url: listener.url,
          filter: listener.filter,
          description: listener.description,
          headers: listener.headers,
          envelope: listener.envelope,
          selfHealing: listener.selfHealing,
          config: listener.config,
        }}
      />
    </div>
  );
}
