import { requireSessionUser } from "@/server/auth/session";
import { inspectorUrl } from "@/server/inspector/own-inspector-url";
import { requireMembership } from "@/server/services/projects";

/** This project's request inspector, a URL any listener may deliver to (see own-inspector-url). */
export async function projectInspectorUrl(projectId: string): Promise<string> {
  const user = await requireSessionUser();
  const { project } = await requireMembership(projectId, user.id);
  return inspectorUrl(project.inspectorToken);
}
