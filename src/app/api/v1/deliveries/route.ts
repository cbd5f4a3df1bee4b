import { json, restRoute } from "@/server/rest/route";
import { listDeliveries } from "@/server/services/deliveries-read";

export const GET = restRoute({}, async ({ projectId, query }) =>
  json(await listDeliveries(projectId, query)),
);
