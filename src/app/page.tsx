import { redirect } from "next/navigation";
import { requireSessionUser } from "@/server/auth/session";
import { firstProjectIdForUser } from "@/server/services/projects";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await requireSessionUser();
  const projectId = await firstProjectIdForUser(user.id);
  redirect(projectId ? `/projects/${projectId}` : "/projects/new");
}
