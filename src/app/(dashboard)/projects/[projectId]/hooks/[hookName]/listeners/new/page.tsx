import { normalizeHookField } from "@/core/hook-fields";
import type { Metadata } from "next";
import { ListenerForm } from "@/components/listener-form/listener-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { serverCaller } from "@/trpc/server";
import { projectInspectorUrl } from "../../../../inspector-url";
import { decodeSegment, orNotFound } from "../../../../load";

export const metadata: Metadata = { title: "New listener" };

export default async function NewListenerPage({
  params,
}: {
  params: Promise<{ projectId: string; hookName: string }>;
}) {
  const { projectId, hookName } = await params;
  const caller = await serverCaller();
  const name = decodeSegment(hookName);
  const [hook, versions] = await orNotFound(
    Promise.all([caller.hook.get({ projectId, name }), caller.hook.versions({ projectId, name })]),
  );
  const base = `/projects/${projectId}`;
  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { label: "Hooks", href: base },
          { label: hook.name, href: `${base}/hooks/${encodeURIComponent(hook.name)}` },
          { label: "New listener" },
        ]}
      />
      <h1 className="text-xl font-semibold">
        New listener on <span className="font-mono break-all">{hook.name}</span>
      </h1>
      <ListenerForm
        projectId={projectId}
        hook={{
          name: hook.name,
          fields: hook.providesArgs.map(normalizeHookField),
          configForm: hook.configForm,
        }}
        versions={versions.map(({ version, providesArgs }) => ({
          version,
          fields: providesArgs.map(normalizeHookField),
        }))}
        inspectorUrl={await projectInspectorUrl(projectId)}
      />
    </div>
  );
}
