import { json, restRoute } from "@/server/rest/route";
import { rotateListenerSecret } from "@/server/services/listeners";

export const POST = restRoute<{ id: string }>({}, async ({ projectId, params }) =>
  json(await rotateListenerSecret(projectId, params.id)),
);
