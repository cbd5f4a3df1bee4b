import {
  type Operation,
  type OperationContract,
  type OperationId,
  type ParsedInput,
} from "@/contracts/operations";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { getDelivery, getEvent, listDeliveries, listEvents } from "@/server/services/deliveries-read";
import { recoverFailedDeliveries } from "@/server/services/events/recover-deliveries";
import { replayEvent } from "@/server/services/events/replay-event";
import { retryDelivery } from "@/server/services/events/retry-delivery";
import { sendEvent } from "@/server/services/events/send-event";
import { deleteHook, getHook, listHooks, listHookVersions, putHook } from "@/server/services/hooks";
import {
  createListener,
  deleteListener,
  getListener,
  listListeners,
  rotateListenerSecret,
  updateListener,
} from "@/server/services/listeners";
import type { Principal } from "./authenticate";
import type { RestDependencies } from "./dependencies";

/**
 * What each operation of the table does, by its id: call a service with the parsed input and shape
 * the answer. Routing, authentication, limits and validation happen before (dispatch.ts).
 */

export type HandlerContext<Op extends OperationContract> = ParsedInput<Op> & {
  request: Request;
  projectId: string;
  principal: Principal;
  deps: RestDependencies;
};

type OperationHandlers = {
  [Id in OperationId]: (context: HandlerContext<Operation<Id>>) => Promise<Response>;
};

export const operationHandlers: OperationHandlers = {
  listApiKeys: async ({ projectId }) => json(await listApiKeys(projectId)),
  createApiKey: async ({ projectId, body }) => json(await createApiKey(projectId, body), 201),
  revokeApiKey: async ({ projectId, params }) => {
    await revokeApiKey(projectId, params.id);
    return noContent();
  },

  listHooks: async ({ projectId, query }) => json(await listHooks(projectId, query)),
  getHook: async ({ projectId, params }) => json(await getHook(projectId, params.name)),
  /** Idempotent upsert: 201 when the hook is new, 200 when it existed. */
  putHook: async ({ projectId, params, body }) => {
    const { created, hook } = await putHook(projectId, params.name, body);
    return json(hook, created ? 201 : 200);
  },
  listHookVersions: async ({ projectId, params }) =>
    json({ items: await listHookVersions(projectId, params.name) }),
  deleteHook: async ({ projectId, params }) => {
    await deleteHook(projectId, params.name);
    return noContent();
  },
  sendEvent: async ({ request, projectId, params, query, headers, body, deps }) => {
    const { result, repeated } = await sendEvent(
      projectId,
      params.name,
      body,
      {
        idempotencyKey: headers["Idempotency-Key"] ?? null,
        waitSeconds: query.wait ?? null,
        // Only a waiting request needs to notice that its client left (and the signal costs a little).
        signal: query.wait === undefined ? undefined : request.signal,
      },
      { runner: deps.runner },
    );
    return json(result, 202, repeated ? { "idempotent-replayed": "true" } : {});
  },

  listListeners: async ({ projectId, query }) => json(await listListeners(projectId, query)),
  createListener: async ({ projectId, body }) => json(await createListener(projectId, body), 201),
  getListener: async ({ projectId, params }) => json(await getListener(projectId, params.id)),
  updateListener: async ({ projectId, params, body }) =>
    json(await updateListener(projectId, params.id, body)),
  deleteListener: async ({ projectId, params }) => {
    await deleteListener(projectId, params.id);
    return noContent();
  },
  rotateListenerSecret: async ({ projectId, params }) =>
    json(await rotateListenerSecret(projectId, params.id)),
  recoverFailedDeliveries: async ({ projectId, params, body, deps }) =>
    json(await recoverFailedDeliveries(projectId, params.id, body, { runner: deps.runner }), 202),

  listEvents: async ({ projectId, query }) => json(await listEvents(projectId, query)),
  getEvent: async ({ projectId, params }) => json(await getEvent(projectId, params.id)),
  replayEvent: async ({ projectId, params, deps }) =>
    json(await replayEvent(projectId, params.id, {}, { runner: deps.runner }), 202),

  listDeliveries: async ({ projectId, query }) => json(await listDeliveries(projectId, query)),
  getDelivery: async ({ projectId, params }) => json(await getDelivery(projectId, params.id)),
  /** 202 with the delivery, pending and due now. */
  retryDelivery: async ({ projectId, params, deps }) =>
    json(await retryDelivery(projectId, params.id, { runner: deps.runner }), 202),
};

function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store", ...headers } });
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}
