import { publicOrigin } from "@/server/auth/auth";
import { requireSessionUser } from "@/server/auth/session";
import { INSPECTOR_PATH_PREFIX } from "@/server/inspector/own-inspector-url";
import { requireMembership } from "@/server/services/projects";

/** This project's request inspector, a URL any listener may deliver to (see the listeners service). */
export async function projectInspectorUrl(projectId: string): Promise<string> {
  const user = await requireSessionUser();
  const { project } = await requireMembership(projectId, user.id);
  return `${publicOrigin()}${INSPECTOR_PATH_PREFIX}${project.inspectorToken}`;
}
