import { json, restRoute } from "@/server/rest/route";
import { listEvents } from "@/server/services/deliveries-read";

export const GET = restRoute({}, async ({ projectId, query }) => json(await listEvents(projectId, query)));
