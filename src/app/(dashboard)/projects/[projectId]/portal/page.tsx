import type { Metadata } from "next";
import { PortalPanel } from "./portal-panel";

export const metadata: Metadata = { title: "Customer portal" };

export default async function PortalSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold">Customer portal</h1>
        <p className="max-w-2xl text-sm text-zinc-700">
          Let your app&apos;s customers manage their own listeners: your server asks for a portal link for one
          customer (<code className="font-mono">POST /api/v1/portal/links</code>, or the SDK&apos;s{" "}
          <code className="font-mono">createPortalLink</code>) and shows it in an iframe. The portal shows
          only the listeners tagged with that customer.
        </p>
      </div>
      <PortalPanel projectId={projectId} />
    </div>
  );
}
