import {
  JSON_SCHEMA_CONTENT_TYPE,
  type Operation,
  type OperationContract,
  type OperationId,
  type ParsedInput,
  TYPESCRIPT_CONTENT_TYPE,
} from "@/contracts/operations";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { getDelivery, getEvent, listDeliveries, listEvents } from "@/server/services/deliveries-read";
import { recoverFailedDeliveries } from "@/server/services/events/recover-deliveries";
import { replayEvent } from "@/server/services/events/replay-event";
import { retryDelivery } from "@/server/services/events/retry-delivery";
import { sendEvent } from "@/server/services/events/send-event";
import {
  deleteHook,
  getHook,
  getHookPayloadSchema,
  getHookTypeScript,
  listHooks,
  listHookVersions,
  putHook,
} from "@/server/services/hooks";
import {
  createListener,
  deleteListener,
  getListener,
  listListeners,
  rotateListenerSecret,
  updateListener,
} from "@/server/services/listeners";
import { createPortalLink, listPortalLinks, revokePortalLink } from "@/server/services/portal/links";
import { getPortalSettings, putPortalSettings } from "@/server/services/portal/settings";
import {
  openRelayListener,
  relayListenerExists,
  reportRelayAttempt,
  requireRelayListener,
} from "@/server/services/relay";
import { env } from "@/server/env";
import { identify, type Principal } from "./authenticate";
import type { RestDependencies } from "./dependencies";
import { relayStreamResponse } from "./relay-stream";

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
  getHookSchema: async ({ projectId, params }) =>
    json(await getHookPayloadSchema(projectId, params.name), 200, {
      "content-type": JSON_SCHEMA_CONTENT_TYPE,
      "content-disposition": attachment(`${params.name}.schema.json`),
    }),
  getHookTypes: async ({ projectId, params }) =>
    new Response(await getHookTypeScript(projectId, params.name), {
      headers: {
        "content-type": TYPESCRIPT_CONTENT_TYPE,
        "content-disposition": attachment(`${params.name}.ts`),
        "cache-control": "no-store",
      },
    }),
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

  createPortalLink: async ({ projectId, body }) => json(await createPortalLink(projectId, body), 201),
  listPortalLinks: async ({ projectId, query }) => json(await listPortalLinks(projectId, query)),
  revokePortalLink: async ({ projectId, params }) => {
    await revokePortalLink(projectId, params.id);
    return noContent();
  },
  getPortalSettings: async ({ projectId }) => json(await getPortalSettings(projectId)),
  putPortalSettings: async ({ projectId, body }) => json(await putPortalSettings(projectId, body)),
  openRelayListener: async ({ projectId, body }) => {
    const { created, listener } = await openRelayListener(projectId, body);
    return json(listener, created ? 201 : 200);
  },
  streamRelayDeliveries: async ({ request, projectId, params }) => {
    const listener = await requireRelayListener(projectId, params.id);
    return relayStreamResponse(listener.id, request.signal, async () => {
      if (!(await stillIdentified(request))) return "The API key was revoked, or the session ended";
      if (!(await relayListenerExists(projectId, listener.id))) return "The relay listener was deleted";
      return null;
    });
  },
  reportRelayAttempt: async ({ projectId, params, body, deps }) =>
    json(
      await reportRelayAttempt(projectId, params.id, body, {
        runner: deps.runner,
        disableAfterFailures: env().DURIAN_DISABLE_AFTER_FAILURES,
        failingAfterFailures: env().DURIAN_FAILING_AFTER_FAILURES,
      }),
    ),
};

/** Whether the credentials a long-lived request came with are still good (a key can be revoked). */
async function stillIdentified(request: Request): Promise<boolean> {
  return identify(request).then(
    () => true,
    () => false,
  );
}

function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Hook names are letters, digits, `.`, `_` and `-`, so they need no quoting beyond the quotes. */
function attachment(filename: string): string {
  return `attachment; filename="${filename}"`;
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}
