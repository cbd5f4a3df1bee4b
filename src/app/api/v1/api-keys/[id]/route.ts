import { noContent, restRoute } from "@/server/rest/route";
import { revokeApiKey } from "@/server/services/api-keys";

export const DELETE = restRoute<{ id: string }>({}, async ({ projectId, params }) => {
  await revokeApiKey(projectId, params.id);
  return noContent();
});
