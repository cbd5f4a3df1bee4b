import { json, restRoute } from "@/server/rest/route";
import { replayEvent } from "@/server/services/events";

export const POST = restRoute<{ id: string }>({}, async ({ projectId, params, deps }) =>
  json(await replayEvent(projectId, params.id, {}, { runner: deps.runner }), 202),
);
