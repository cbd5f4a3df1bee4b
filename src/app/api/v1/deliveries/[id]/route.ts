import { json, restRoute } from "@/server/rest/route";
import { getDelivery } from "@/server/services/deliveries-read";

export const GET = restRoute<{ id: string }>({}, async ({ projectId, params }) =>
  json(await getDelivery(projectId, params.id)),
);
