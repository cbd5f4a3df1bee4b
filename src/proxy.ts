import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/server/http/content-security-policy";

/**
 * Gives every dashboard page a fresh nonce and the Content-Security-Policy that names it. Next.js reads
 * the policy from the request headers while rendering and puts the nonce on its scripts, so the pages
 * must render per request. The headers that need no nonce are set for every path in next.config.js.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
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
