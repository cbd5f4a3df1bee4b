import type { Prisma } from "@/generated/prisma/client";
import type { SendTestEvent } from "@/contracts/events";
import { getDb } from "@/server/db/client";
import { createDeliveries } from "@/server/delivery/lifecycle";
import { compilePayloadValidator, examplePayload } from "@/core/hook-fields";
import { ConflictError, NotFoundError } from "../errors";
import { fieldsOfHook } from "../hooks";
import { checkedPayload } from "./checked-payload";
import { type EventServiceDeps, notifyRunner } from "./notify-runner";

// Test events: the dashboard's "Send a test event".

/** `sender` of events sent from the dashboard to try one listener. */
export const TEST_EVENT_SENDER = "durian:test";

/**
 * Sends an event to one listener only, whatever its filter says, so a user can see a delivery
 * arrive. The payload is checked and projected like any event's (a sample one when none is given)
 * and recorded with the sender `durian:test`. A disabled listener is refused: it would not be delivered to.
 */
export async function sendTestEvent(
  projectId: string,
  listenerId: string,
  input: Omit<SendTestEvent, "id"> = {},
  deps: EventServiceDeps = {},
): Promise<{ eventId: string; deliveryId: string }> {
  const db = deps.db ?? getDb();
  const listener = await db.listener.findFirst({
    where: { id: listenerId, projectId },
    include: { hook: true },
  });
  if (!listener) throw new NotFoundError("Listener");
  if (!listener.enabled)
    throw new ConflictError("The listener is disabled; enable it before sending a test event");
  const { hook } = listener;
  // The listener's version's fields: a test event is one it would receive.
  const version = await db.hookVersion.findUniqueOrThrow({
    where: { hookId_version: { hookId: hook.id, version: listener.hookVersion } },
  });
  const fields = fieldsOfHook(version);
  const projected = checkedPayload(
    { name: hook.name, providesArgs: version.providesArgs, validatePayload: compilePayloadValidator(fields) },
    // A payload with every field, each of its type, when the user wrote none.
    input.payload ?? examplePayload(fields),
  );
  const now = (deps.now ?? (() => new Date()))();
  const { eventId, created } = await db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        projectId,
        hookId: hook.id,
        hookName: hook.name,
        hookVersion: listener.hookVersion,
        payload: projected as Prisma.InputJsonObject,
        sender: TEST_EVENT_SENDER,
        createdAt: now,
        // Its one fan-out is to this listener, made here rather than by matching.
        fanOuts: {
          create: { number: 0, projectId, hookId: hook.id, done: true, matched: 1, createdAt: now },
        },
      },
      select: { id: true },
    });
    const created = await createDeliveries(tx, {
      projectId,
      eventId: event.id,
      hookId: hook.id,
      fanOut: 0,
      listeners: [listener],
      now,
    });
    return { eventId: event.id, created };
  });
  await notifyRunner(deps, (runner) => runner.deliveriesCreated({ projectId, deliveries: created }));
  return { eventId, deliveryId: created[0]!.id };
}
