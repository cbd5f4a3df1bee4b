import { headers } from "next/headers";
import { env } from "@/server/env";
import { originForBrowser, publicOrigin } from "./origins";

/** The origin the current page's browser is on (see `originForBrowser`); for server components. */
export async function browserOrigin(): Promise<string> {
  const requestHeaders = await headers();
  return originForBrowser(
    { host: requestHeaders.get("host"), forwardedProto: requestHeaders.get("x-forwarded-proto") },
    { publicUrl: env().DURIAN_PUBLIC_URL, fallback: publicOrigin() },
  );
}
