import { json, restRoute } from "@/server/rest/route";
import type { RecoverDeliveriesInput } from "@/contracts/listeners";
import { recoverFailedDeliveries } from "@/server/services/events";

/** 202 with how many failed deliveries are pending again. */
export const POST = restRoute<{ id: string }>({ body: "json" }, async ({ projectId, params, body, deps }) =>
  json(
    await recoverFailedDeliveries(projectId, params.id, body as RecoverDeliveriesInput, {
      runner: deps.runner,
    }),
    202,
  ),
);
