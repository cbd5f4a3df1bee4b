import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { chartRouter } from "@/server/api/routers/chart";
import { deliveryRouter } from "@/server/api/routers/delivery";
import { eventRouter } from "@/server/api/routers/event";
import { inspectorRouter } from "@/server/api/routers/inspector";
import { projectRouter } from "@/server/api/routers/project";
import { apiKeyRouter } from "@/server/api/routers/api-key";
import { hookRouter } from "@/server/api/routers/hook";
import { listenerRouter } from "@/server/api/routers/listener";
import { portalSettingsRouter } from "@/server/api/routers/portal-settings";

/** All dashboard procedures, one router per domain. */
export const appRouter = createTRPCRouter({
  project: projectRouter,
  hook: hookRouter,
  listener: listenerRouter,
  apiKey: apiKeyRouter,
  delivery: deliveryRouter,
  event: eventRouter,
  inspector: inspectorRouter,
  chart: chartRouter,
  portal: portalSettingsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
