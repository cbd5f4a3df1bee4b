import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

/** Calls tRPC procedures from server components, with the request's session. */
export const serverCaller = cache(async () =>
  createCaller(await createTRPCContext({ headers: await headers() })),
);
