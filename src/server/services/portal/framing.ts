import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { openPortalLink, PortalLinkRefusedError } from "./links";
import { getPortalSettings } from "./settings";

/** What a portal page's Content-Security-Policy must allow beyond the app's own origin. */
export interface PortalFraming {
  /** The origins whose pages may frame it; none for a link that does not open. */
  frameAncestors: string[];
  /** Where the theme's logo comes from, if anywhere. */
  imageOrigin: string | null;
}

const NO_FRAMING: PortalFraming = { frameAncestors: [], imageOrigin: null };

/**
 * The framing a portal page of this token may have: the project's listed origins. A link that does not
 * open (unknown, expired, revoked) may be framed by nobody; its page says why, in a tab of its own.
 */
export async function portalFraming(token: string, db: PrismaClient = getDb()): Promise<PortalFraming> {
  let projectId: string;
  try {
    projectId = (await openPortalLink(token, db)).projectId;
  } catch (error) {
    if (error instanceof PortalLinkRefusedError) return NO_FRAMING;
    throw error;
  }
  const { allowedOrigins, theme } = await getPortalSettings(projectId, db);
  return {
    frameAncestors: allowedOrigins,
    imageOrigin: theme.logoUrl ? new URL(theme.logoUrl).origin : null,
  };
}
