import type { Metadata } from "next";
import { MembersPanel } from "./members-panel";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Members</h1>
      <MembersPanel projectId={projectId} />
    </div>
  );
}
