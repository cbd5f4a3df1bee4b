import { json, restRoute } from "@/server/rest/route";
import { listHooks } from "@/server/services/hooks";

export const GET = restRoute({}, async ({ projectId, query }) => json(await listHooks(projectId, query)));
