"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import superjson from "superjson";
import { PORTAL_TOKEN_HEADER } from "@/contracts/portal";
import type { AppRouter } from "@/server/api/root";
import type { PortalRouter } from "@/server/api/routers/portal";
import { createQueryClient } from "./query-client";
import { TRPCProvider } from "./react";

export const { TRPCProvider: PortalTRPCProvider, useTRPC: usePortalTRPC } = createTRPCContext<PortalRouter>();

export type PortalRouterOutputs = inferRouterOutputs<PortalRouter>;

/**
 * The customer portal's data layer: every call goes to /api/portal/trpc with the link's token in a
 * header (a page framed on another site may get no cookies, so none is relied on). The dashboard's
 * components it reuses (the listener form, the secret panel) call `useTRPC()`: under this provider
 * their calls reach the portal's procedures of the same names, scoped to the link.
 */
export function PortalTRPCReactProvider({ token, children }: { token: string; children: React.ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [links] = useState(() => [
    httpBatchLink({
      transformer: superjson,
      url: "/api/portal/trpc",
      headers: { [PORTAL_TOKEN_HEADER]: token },
    }),
  ]);
  const [portalClient] = useState(() => createTRPCClient<PortalRouter>({ links }));
  // The same transport, typed as the dashboard's router for the components written against it.
  const [dashboardShapedClient] = useState(() => createTRPCClient<AppRouter>({ links }));
  return (
    <QueryClientProvider client={queryClient}>
      <PortalTRPCProvider trpcClient={portalClient} queryClient={queryClient}>
        <TRPCProvider trpcClient={dashboardShapedClient} queryClient={queryClient}>
          {children}
        </TRPCProvider>
      </PortalTRPCProvider>
    </QueryClientProvider>
  );
}
