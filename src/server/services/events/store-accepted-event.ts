import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { preparedQueryFor } from "@/server/db/client";

export interface AcceptedEvent {
  eventId: string;
  projectId: string;
  hook: { id: string; name: string; enabled: boolean };
  /** The version of the hook's fields it was sent for. */
  hookVersion: number;
  /** Store only while the hook's ingestVersion is this; null: whatever it is, as long as the hook exists. */
  expectedVersion: number | null;
  payload: Record<string, unknown>;
  sender: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** The accepting request's trace context, so that matching and attempts join its trace. */
  traceparent: string | null;
  acceptedAt: Date;
}

/**
 * The event and its first fan-out in one statement, so one round trip and all or nothing; false when
 * nothing was stored because the hook is gone or no longer at the expected version. A disabled hook
 * still records its events (they can be replayed later) with a fan-out that is done, matching nothing.
 */
export async function storeAcceptedEvent(db: PrismaClient, event: AcceptedEvent): Promise<boolean> {
  const { eventId, projectId, hook } = event;
  const acceptedAt = Prisma.sql`${event.acceptedAt.toISOString()}::timestamp(3)`;
  const [row] = await preparedQueryFor(db)<{ stored: boolean }>(Prisma.sql`
    WITH planned AS (
      SELECT 1 FROM "Hook"
      WHERE id = ${hook.id} AND (${event.expectedVersion}::int IS NULL OR "ingestVersion" = ${event.expectedVersion}::int)
    ), event AS (
      INSERT INTO "Event" (id, "projectId", "hookId", "hookName", "hookVersion", payload, sender, "idempotencyKey", "requestHash",
        traceparent, "createdAt")
      SELECT ${eventId}, ${projectId}, ${hook.id}, ${hook.name}, ${event.hookVersion}::int, ${JSON.stringify(event.payload)}::jsonb,
             ${event.sender}, ${event.idempotencyKey}, ${event.requestHash}, ${event.traceparent}, ${acceptedAt}
      FROM planned
      RETURNING id
    ), fan_out AS (
      INSERT INTO "FanOut" ("eventId", number, "projectId", "hookId", done, "createdAt", "updatedAt")
      SELECT event.id, 0, ${projectId}, ${hook.id}, ${!hook.enabled}, ${acceptedAt}, ${acceptedAt} FROM event
    )
    SELECT EXISTS (SELECT 1 FROM event) AS stored`);
  return row?.stored === true;
}
