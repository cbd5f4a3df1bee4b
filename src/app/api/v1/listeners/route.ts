import { json, restRoute } from "@/server/rest/route";
import type { CreateListenerInput } from "@/contracts/listeners";
import { createListener, listListeners } from "@/server/services/listeners";

export const GET = restRoute({}, async ({ projectId, query }) => json(await listListeners(projectId, query)));

/** 201 with the listener and its signing secret. */
export const POST = restRoute({ body: "json" }, async ({ projectId, body }) =>
  json(await createListener(projectId, body as CreateListenerInput), 201),
);
