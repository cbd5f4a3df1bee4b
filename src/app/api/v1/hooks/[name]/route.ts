import { json, noContent, restRoute } from "@/server/rest/route";
import type { HookDefinitionInput } from "@/contracts/hooks";
import { deleteHook, getHook, putHook } from "@/server/services/hooks";

export const GET = restRoute<{ name: string }>({}, async ({ projectId, params }) =>
  json(await getHook(projectId, params.name)),
);

/** Idempotent upsert: 201 when the hook is new, 200 when it existed. */
export const PUT = restRoute<{ name: string }>({ body: "json" }, async ({ projectId, params, body }) => {
  const { created, hook } = await putHook(projectId, params.name, body as HookDefinitionInput);
  return json(hook, created ? 201 : 200);
});

export const DELETE = restRoute<{ name: string }>({}, async ({ projectId, params }) => {
  await deleteHook(projectId, params.name);
  return noContent();
});
