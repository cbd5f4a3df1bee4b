import { secretKeyBytes, signingSecrets, verifyWebhook, WebhookVerificationError } from "@/core/signing";
import type { InspectorRequest, Prisma, PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { INSPECTOR_PATH_PREFIX, inspectorUrl } from "@/server/inspector/own-inspector-url";
import { openListenerSecrets } from "@/server/secrets";
import { NotFoundError } from "./errors";
import { createListener } from "./listeners";

// The request inspector: a URL the app hosts that keeps what it receives, so a new user sees a
// delivery (headers, body, whether the signature verified) without writing a receiver.

/** Each project keeps only its latest requests; older ones are deleted as new ones arrive. */
export const INSPECTOR_KEEP_LATEST = 50;
/** How much of a body is stored and shown. */
export const INSPECTOR_STORED_BODY_BYTES = 64 * 1024;
/** How much of a body is read to check its signature; past this the request is refused with 413. */
export const INSPECTOR_MAX_BODY_BYTES = 1024 * 1024;

export interface InspectorRequestRecord {
  id: string;
  method: string;
  headers: Record<string, string>;
  /** The first INSPECTOR_STORED_BODY_BYTES of the body, as UTF-8. */
  body: string;
  bodySize: number;
  /** null when no listener points here, or the body was too large to check. */
  signatureVerified: boolean | null;
  receivedAt: Date;
}

export interface IncomingInspectorRequest {
  method: string;
  headers: Headers;
  /** The body as read, at most INSPECTOR_MAX_BODY_BYTES. */
  body: Uint8Array;
  /** True when the sender sent more than INSPECTOR_MAX_BODY_BYTES (the rest was not read). */
  bodyTooLarge: boolean;
}

export function toInspectorRequestRecord(row: InspectorRequest): InspectorRequestRecord {
  return {
    id: row.id,
    method: row.method,
    headers: row.headers as Record<string, string>,
    body: row.body,
    bodySize: row.bodySize,
    signatureVerified: row.signatureVerified,
    receivedAt: row.receivedAt,
  };
}

/** Where the project's inspector receives webhooks. */
export async function getInspector(projectId: string, db: PrismaClient = getDb()) {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { inspectorToken: true } });
  if (!project) throw new NotFoundError("Project");
  return { url: inspectorUrl(project.inspectorToken) };
}

/** The secrets of the project's listeners whose URL is this inspector, as they sign right now. */
async function inspectorSecrets(
  db: PrismaClient,
  projectId: string,
  token: string,
  now: Date,
): Promise<string[]> {
  const path = `${INSPECTOR_PATH_PREFIX}${token}`;
  const listeners = await db.listener.findMany({
    where: { projectId, url: { contains: path } },
    select: { url: true, secret: true, previousSecret: true, previousSecretUntil: true },
  });
  const secrets = new Set<string>();
  for (const listener of listeners) {
    if (!pointsAtInspector(listener.url, path)) continue;
    for (const secret of signingSecrets(openListenerSecrets(listener), now)) secrets.add(secret);
  }
  return [...secrets].filter(isUsableSecret);
}

/** Any origin counts (a tunnel or proxy in front of the app); the path must be exactly the inspector's. */
function pointsAtInspector(rawUrl: string, path: string): boolean {
  try {
    return new URL(rawUrl).pathname.replace(/\/$/, "") === path;
  } catch {
    return false;
  }
}

function isUsableSecret(secret: string): boolean {
  try {
    secretKeyBytes(secret);
    return true;
  } catch {
    return false;
  }
}

/** A signature that matched counts as verified even when the body is not JSON. */
async function signatureVerifies(
  secrets: string[],
  headers: Headers,
  body: Uint8Array,
  now: Date,
): Promise<boolean> {
  try {
    await verifyWebhook({ secrets, headers, body, now });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason === "invalid-json";
    throw error;
  }
}

function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The first `maxBytes` as text, never cutting a multi-byte character in half. */
function storableBody(body: Uint8Array, maxBytes: number): string {
  const text = new TextDecoder("utf-8").decode(body.subarray(0, maxBytes));
  return body.byteLength > maxBytes ? text.replace(/\uFFFD$/, "") : text;
}

/**
 * Stores one request to the inspector `token`, checking its Standard Webhooks signature against the
 * secrets of the project's listeners that point at this inspector. Unknown token: NotFoundError.
 */
export async function recordInspectorRequest(
  token: string,
  request: IncomingInspectorRequest,
  db: PrismaClient = getDb(),
  now: Date = new Date(),
): Promise<InspectorRequestRecord & { projectId: string }> {
  const project = await db.project.findUnique({ where: { inspectorToken: token }, select: { id: true } });
  if (!project) throw new NotFoundError("Inspector");
  const secrets = request.bodyTooLarge ? [] : await inspectorSecrets(db, project.id, token, now);
  const signatureVerified =
    secrets.length === 0 ? null : await signatureVerifies(secrets, request.headers, request.body, now);
  const row = await db.inspectorRequest.create({
    data: {
      projectId: project.id,
      method: request.method.toUpperCase().slice(0, 16),
      headers: headersRecord(request.headers) as Prisma.InputJsonObject,
      body: storableBody(request.body, INSPECTOR_STORED_BODY_BYTES),
      bodySize: request.body.byteLength,
      signatureVerified,
      receivedAt: now,
    },
  });
  return { ...toInspectorRequestRecord(row), projectId: project.id };
}

/** Deletes all but the project's latest `keep` requests. */
export async function pruneInspectorRequests(
  projectId: string,
  keep: number = INSPECTOR_KEEP_LATEST,
  db: PrismaClient = getDb(),
): Promise<number> {
  const stale = await db.inspectorRequest.findMany({
    where: { projectId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    skip: keep,
    select: { id: true },
  });
  if (stale.length === 0) return 0;
  const { count } = await db.inspectorRequest.deleteMany({
    where: { id: { in: stale.map((row) => row.id) } },
  });
  return count;
}

/**
 * The project's latest requests, newest first. With `since`, only those received at or after it
 * (the live view asks with the newest time it has and drops the ones it already shows).
 */
export async function listInspectorRequests(
  projectId: string,
  options: { since?: Date } = {},
  db: PrismaClient = getDb(),
): Promise<InspectorRequestRecord[]> {
  const rows = await db.inspectorRequest.findMany({
    where: { projectId, ...(options.since && { receivedAt: { gte: options.since } }) },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: INSPECTOR_KEEP_LATEST,
  });
  return rows.map(toInspectorRequestRecord);
}

/** A listener of `hookName` that delivers to this project's inspector (no filter: every event). */
export async function createInspectorListener(
  projectId: string,
  hookName: string,
  db: PrismaClient = getDb(),
) {
  const { url } = await getInspector(projectId, db);
  return createListener(
    projectId,
    {
      hook: hookName,
      url,
      filter: {},
      description: "Sends to the request inspector",
      headers: {},
      envelope: false,
      selfHealing: false,
      config: {},
    },
    db,
  );
}
