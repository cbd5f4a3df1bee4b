import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { deliveryRouter } from "@/server/api/routers/delivery";
import { eventRouter } from "@/server/api/routers/event";
import { inspectorRouter } from "@/server/api/routers/inspector";
import { projectRouter } from "@/server/api/routers/project";

/** All dashboard procedures, one router per domain. */
export const appRouter = createTRPCRouter({
  project: projectRouter,
  delivery: deliveryRouter,
  event: eventRouter,
  inspector: inspectorRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
