import type { Metadata } from "next";
import { MembersPanel } from "./members-panel";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold">Members</h1>
        <p className="max-w-2xl text-sm text-zinc-700">
          Members see and manage this project&apos;s hooks, listeners, deliveries and API keys. Owners can add
          members.
        </p>
      </div>
      <MembersPanel projectId={projectId} />
    </div>
  );
}
