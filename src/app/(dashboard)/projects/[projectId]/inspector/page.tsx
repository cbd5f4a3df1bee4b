import type { Metadata } from "next";
import { INSPECTOR_KEEP_LATEST } from "@/server/services/inspector";
import { serverCaller } from "@/trpc/server";
import { InspectorRequests } from "./inspector-requests";
import { InspectorSetup } from "./inspector-setup";

export const metadata: Metadata = { title: "Request inspector" };

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
        hooks={choices.hooks.map((hook) => hook.name)}
        sendingHere={sendingHere}
      />
      <InspectorRequests projectId={projectId} initialRequests={requests} keep={INSPECTOR_KEEP_LATEST} />
    </div>
  );
}
