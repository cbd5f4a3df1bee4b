import { json, restRoute } from "@/server/rest/route";
import { getEvent } from "@/server/services/deliveries-read";

export const GET = restRoute<{ id: string }>({}, async ({ projectId, params }) =>
  json(await getEvent(projectId, params.id)),
);
