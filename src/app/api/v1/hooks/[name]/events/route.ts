import { json, restRoute } from "@/server/rest/route";
import type { SendEventInput } from "@/contracts/events";
import { sendEvent } from "@/server/services/events";

export const POST = restRoute<{ name: string }>(
  { body: "json" },
  async ({ request, projectId, params, body, query, deps }) => {
    const { result, repeated } = await sendEvent(
      projectId,
      params.name,
      body as SendEventInput,
      {
        idempotencyKey: request.headers.get("idempotency-key"),
        waitSeconds: query.wait,
        // Only a waiting request needs to notice that its client left (and the signal costs a little).
        signal: query.wait === undefined ? undefined : request.signal,
      },
      { runner: deps.runner },
    );
    return json(result, 202, repeated ? { "idempotent-replayed": "true" } : {});
  },
);
