import { createHash, randomBytes } from "node:crypto";
import type { PortalLink, PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { publicOrigin } from "@/server/http/origins";
import type { CreatePortalLink, ListPortalLinksQuery } from "@/contracts/portal";
import { NotFoundError, UnauthorizedError } from "../errors";

export const PORTAL_TOKEN_PREFIX = "dpl_";
const PORTAL_TOKEN_RANDOM_BYTES = 32;
const PORTAL_TOKEN_PATTERN = /^dpl_[A-Za-z0-9_-]{43}$/;
/** A project's link list shows at most this many, newest first. */
const MAX_LISTED_LINKS = 200;

export interface PortalLinkRecord {
  id: string;
  customer: string;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export type CreatedPortalLink = PortalLinkRecord & { url: string };

/** What an open link grants: one project's listeners tagged with one customer, until it expires. */
export interface OpenedPortalLink {
  linkId: string;
  projectId: string;
  customer: string;
  expiresAt: Date;
}

/** Why a link does not open, as the portal page tells its visitor. */
export type PortalLinkRefusal = "unknown" | "expired" | "revoked";

export class PortalLinkRefusedError extends UnauthorizedError {
  constructor(readonly refusal: PortalLinkRefusal) {
    super(
      refusal === "expired"
        ? "This portal link has expired; ask for a new one"
        : refusal === "revoked"
          ? "This portal link was revoked; ask for a new one"
          : "This portal link is not valid",
    );
    this.name = "PortalLinkRefusedError";
  }
}

function toPortalLinkRecord(link: PortalLink): PortalLinkRecord {
  return {
    id: link.id,
    customer: link.customer,
    expiresAt: link.expiresAt,
    revokedAt: link.revokedAt,
    createdAt: link.createdAt,
  };
}

export function hashPortalToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function portalUrl(token: string): string {
  return `${publicOrigin()}/portal/${token}`;
}

/** A new link for one customer of the project; its token is in the answer's URL and nowhere else. */
export async function createPortalLink(
  projectId: string,
  { customer, expiresIn }: CreatePortalLink,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<CreatedPortalLink> {
  const token = PORTAL_TOKEN_PREFIX + randomBytes(PORTAL_TOKEN_RANDOM_BYTES).toString("base64url");
  const link = await db.portalLink.create({
    data: {
      projectId,
      customer,
      tokenHash: hashPortalToken(token),
      expiresAt: new Date(now.getTime() + expiresIn * 1000),
    },
  });
  return { ...toPortalLinkRecord(link), url: portalUrl(token) };
}

export async function listPortalLinks(
  projectId: string,
  { customer }: ListPortalLinksQuery = {},
  db: PrismaClient = getDb(),
): Promise<{ items: PortalLinkRecord[] }> {
  const links = await db.portalLink.findMany({
    where: { projectId, ...(customer !== undefined && { customer }) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: MAX_LISTED_LINKS,
  });
  return { items: links.map(toPortalLinkRecord) };
}

/** The link stops working at once; revoking it again is harmless. */
export async function revokePortalLink(
  projectId: string,
  id: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<void> {
  const link = await db.portalLink.findFirst({ where: { id, projectId } });
  if (!link) throw new NotFoundError("Portal link");
  if (!link.revokedAt) await db.portalLink.update({ where: { id }, data: { revokedAt: now } });
}

/**
 * The link a presented token opens, read from the database on every request (so a revocation counts
 * at once), or PortalLinkRefusedError saying why not.
 */
export async function openPortalLink(
  token: string,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<OpenedPortalLink> {
  if (!PORTAL_TOKEN_PATTERN.test(token)) throw new PortalLinkRefusedError("unknown");
  const link = await db.portalLink.findUnique({ where: { tokenHash: hashPortalToken(token) } });
  if (!link) throw new PortalLinkRefusedError("unknown");
  if (link.revokedAt) throw new PortalLinkRefusedError("revoked");
  if (link.expiresAt.getTime() <= now.getTime()) throw new PortalLinkRefusedError("expired");
  return { linkId: link.id, projectId: link.projectId, customer: link.customer, expiresAt: link.expiresAt };
}
