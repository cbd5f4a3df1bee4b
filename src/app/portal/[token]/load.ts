import { notFound } from "next/navigation";
import { cache } from "react";
import { NotFoundError } from "@/server/services/errors";
import { PortalLinkRefusedError, type PortalLinkRefusal } from "@/server/services/portal/links";
import { PortalScope } from "@/server/services/portal/scope";

export type OpenedPortal = { scope: PortalScope } | { refusal: PortalLinkRefusal };

/** The link a portal page's token opens, once per request; a link that does not open says why. */
export const openPortal = cache(async (token: string): Promise<OpenedPortal> => {
  try {
    return { scope: await PortalScope.open(token) };
  } catch (error) {
    if (error instanceof PortalLinkRefusedError) return { refusal: error.refusal };
    throw error;
  }
});

/** Awaits a scoped read; what is not the customer's renders the not-found page (a 404). */
export async function ownOrNotFound<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export function portalPath(token: string, path = ""): string {
  return `/portal/${token}${path}`;
}
