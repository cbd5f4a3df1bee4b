import { json, restRoute } from "@/server/rest/route";
import type { CreateApiKeyInput } from "@/contracts/api-keys";
import { createApiKey, listApiKeys } from "@/server/services/api-keys";

export const GET = restRoute({}, async ({ projectId }) => json(await listApiKeys(projectId)));

export const POST = restRoute({ body: "json", sessionOnly: true }, async ({ projectId, body }) =>
  json(await createApiKey(projectId, body as CreateApiKeyInput), 201),
);
