import { createHash } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { ValidationError } from "../errors";

/** An Idempotency-Key repeated within this window gets the first answer; later it starts afresh. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * An Idempotency-Key stands for one request. Its event keeps a SHA-256 of the payload and sender it
 * came with; a repeat with anything else is a client bug, refused with 422 as the IETF
 * Idempotency-Key draft recommends, instead of quietly answering for the first request.
 */

/** Key order does not matter: `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * The hash stored with an event sent under an Idempotency-Key (the payload is already depth-checked).
 * A version named in the request counts too; a request naming none hashes as it always did.
 */
export function eventRequestHash(
  payload: Record<string, unknown>,
  sender: string | null | undefined,
  version?: number,
): string {
  const request = { payload, sender: sender ?? null, ...(version !== undefined && { version }) };
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

/** Refuses a repeated key whose request differs; events stored before hashes were kept pass. */
export function assertSameRequest(earlier: { requestHash: string | null }, requestHash: string | null): void {
  if (earlier.requestHash === null || requestHash === null || earlier.requestHash === requestHash) return;
  throw new ValidationError([
    {
      path: "Idempotency-Key",
      message:
        "was already used with a different payload, sender or version in the last 24 hours; " +
        "send a new key for a new event",
    },
  ]);
}

/** The event an Idempotency-Key already produced within the window; an expired key is released. */
export async function earlierEventFor(
  db: PrismaClient,
  projectId: string,
  idempotencyKey: string,
  now: Date,
) {
  const earlier = await db.event.findUnique({
    where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
    select: { id: true, createdAt: true, requestHash: true },
  });
  if (!earlier) return null;
  if (now.getTime() - earlier.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) return earlier;
  await db.event.updateMany({ where: { id: earlier.id, idempotencyKey }, data: { idempotencyKey: null } });
  return null;
}
