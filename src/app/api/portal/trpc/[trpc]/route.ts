import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { portalRouter } from "@/server/api/routers/portal";
import { createPortalTRPCContext } from "@/server/api/trpc";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/server/db/unavailable";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/portal/trpc",
    req: request,
    router: portalRouter,
    createContext: () => createPortalTRPCContext({ headers: request.headers }),
    responseMeta: ({ errors }) =>
      errors.some((error) => error.code === "SERVICE_UNAVAILABLE")
        ? { headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) } }
        : {},
  });
}

export { handler as GET, handler as POST };
