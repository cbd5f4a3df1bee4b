import { json, restRoute } from "@/server/rest/route";
import { retryDelivery } from "@/server/services/events";

/** 202 with the delivery, pending and due now. */
export const POST = restRoute<{ id: string }>({}, async ({ projectId, params, deps }) =>
  json(await retryDelivery(projectId, params.id, { runner: deps.runner }), 202),
);
