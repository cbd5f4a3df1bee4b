import type { Metadata } from "next";
import { browserOrigin } from "@/server/http/browser-origin";
import { ApiKeysPanel } from "./api-keys-panel";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold">API keys</h1>
        <p className="max-w-2xl text-sm text-zinc-700">
          Your apps use a key to register hooks and send events to this project through the REST API (
          <code className="font-mono">{await browserOrigin()}/api/v1</code>) or the SDK. Each key belongs to
          this project only.
        </p>
      </div>
      <ApiKeysPanel projectId={projectId} />
    </div>
  );
}
