import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, newNonce, type PolicyOptions } from "@/server/http/content-security-policy";
import { portalFraming } from "@/server/services/portal/framing";

/**
 * Gives every page a fresh nonce and the Content-Security-Policy that names it. Next.js reads the
 * policy from the request headers while rendering and puts the nonce on its scripts, so the pages
 * must render per request. The headers that need no nonce are set in next.config.js. Dashboard pages
 * may be framed by nobody; a customer portal page by the origins its project lists.
 */
export async function proxy(request: NextRequest) {
  const options: PolicyOptions = {
    development: process.env.NODE_ENV === "development",
    ...(await portalPolicy(request.nextUrl.pathname)),
  };
  const policy = contentSecurityPolicy(newNonce(), options);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

const PORTAL_PAGE = /^\/portal\/([^/]+)/;

/** A portal page's framing (none for a link that does not open, or when the database is away). */
async function portalPolicy(path: string): Promise<PolicyOptions> {
  const token = PORTAL_PAGE.exec(path)?.[1];
  if (token === undefined) return {};
  try {
    const framing = await portalFraming(token);
    return {
      frameAncestors: framing.frameAncestors,
      imageOrigins: framing.imageOrigin ? [framing.imageOrigin] : [],
    };
  } catch (error) {
    console.warn("durian: could not read a portal page's framing; it may be framed by nobody", error);
    return {};
  }
}

export const config = {
  matcher: [
    {
      // Not the APIs: JSON needs no nonce, and a proxy in front of them would buffer request bodies.
      // Not static files, nor prefetches (their HTML is never rendered as a page).
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
