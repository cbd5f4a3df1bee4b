import type { Metadata } from "next";
import { isOperationalHookName } from "@/server/operational/hooks";
import { INSPECTOR_KEEP_LATEST } from "@/server/services/inspector";
import { serverCaller } from "@/trpc/server";
import { InspectorRequests } from "./inspector-requests";
import { InspectorSetup } from "./inspector-setup";

export const metadata: Metadata = { title: "Request inspector" };

/** The project's own hooks first (the likely choice), then Durian's operational ones. */
function ownHooksFirst(names: string[]): string[] {
  return [
    ...names.filter((name) => !isOperationalHookName(name)),
    ...names.filter((name) => isOperationalHookName(name)),
  ];
}

export default async function InspectorPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const caller = await serverCaller();
  const [inspector, requests, choices] = await Promise.all([
    caller.inspector.get({ projectId }),
    caller.inspector.requests({ projectId }),
    caller.delivery.filterChoices({ projectId }),
  ]);
  const sendingHere = choices.listeners.filter((listener) => listener.url === inspector.url);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Request inspector</h1>
        <p className="mt-1 text-sm text-zinc-700">
          A receiver Durian hosts for you: point a listener at it and watch deliveries arrive, with their
          headers, body and whether the signature verified. No code, no tunnel.
        </p>
      </div>
      <InspectorSetup
        projectId={projectId}
        url={inspector.url}
        hooks={ownHooksFirst(choices.hooks.map((hook) => hook.name))}
        sendingHere={sendingHere}
      />
      <InspectorRequests projectId={projectId} initialRequests={requests} keep={INSPECTOR_KEEP_LATEST} />
    </div>
  );
}
