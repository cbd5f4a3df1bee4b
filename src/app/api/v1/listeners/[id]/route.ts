import { json, noContent, restRoute } from "@/server/rest/route";
import type { UpdateListenerInput } from "@/contracts/listeners";
import { deleteListener, getListener, updateListener } from "@/server/services/listeners";

export const GET = restRoute<{ id: string }>({}, async ({ projectId, params }) =>
  json(await getListener(projectId, params.id)),
);

export const PATCH = restRoute<{ id: string }>({ body: "json" }, async ({ projectId, params, body }) =>
  json(await updateListener(projectId, params.id, body as UpdateListenerInput)),
);

export const DELETE = restRoute<{ id: string }>({}, async ({ projectId, params }) => {
  await deleteListener(projectId, params.id);
  return noContent();
});
