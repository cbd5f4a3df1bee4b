import { generateSecret } from "@/core/signing";
import type { Prisma, PrismaClient } from "@/generated/prisma/client";
import { sealListenerSecret } from "@/server/secrets";

// Rows for delivery tests, written directly with Prisma the way the services write them: listener
// secrets encrypted, the event and its pending deliveries in one transaction, due now.

export interface SeededHook {
  projectId: string;
  hookId: string;
  hookName: string;
}

export async function seedHook(
  db: PrismaClient,
  hook: { name?: string; timeoutMs?: number; retrySchedule?: number[]; providesArgs?: string[] } = {},
): Promise<SeededHook> {
  const project = await db.project.create({ data: { name: "Delivery tests" } });
  const hookName = hook.name ?? "user.signed_up";
  const created = await db.hook.create({
    data: {
      projectId: project.id,
      name: hookName,
      providesArgs: hook.providesArgs ?? ["name", "email"],
      timeoutMs: hook.timeoutMs ?? 5_000,
      retrySchedule: hook.retrySchedule ?? [],
    },
  });
  return { projectId: project.id, hookId: created.id, hookName };
}

export async function seedListener(
  db: PrismaClient,
  hook: SeededHook,
  listener: Partial<
    Pick<
      Prisma.ListenerUncheckedCreateInput,
      | "url"
      | "secret"
      | "previousSecret"
      | "previousSecretUntil"
      | "envelope"
      | "enabled"
      | "disabledReason"
      | "consecutiveFailures"
      | "headers"
    >
  > & { url: string },
): Promise<{ listenerId: string; secret: string }> {
  const secret = listener.secret ?? generateSecret();
  const { previousSecret } = listener;
  const created = await db.listener.create({
    data: {
      projectId: hook.projectId,
      hookId: hook.hookId,
      ...listener,
      secret: sealListenerSecret(secret),
      previousSecret: previousSecret ? sealListenerSecret(previousSecret) : previousSecret,
    },
  });
  return { listenerId: created.id, secret };
}

/** An accepted event with one pending delivery per listener named, due at `dueAt` (now by default). */
export async function seedEvent(
  db: PrismaClient,
  hook: SeededHook,
  listenerIds: string[],
  payload: Record<string, unknown> = { name: "Ada", email: "ada@example.test" },
  dueAt: Date = new Date(),
): Promise<{ eventId: string; deliveryIds: string[] }> {
  return db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        projectId: hook.projectId,
        hookId: hook.hookId,
        hookName: hook.hookName,
        payload: payload as Prisma.InputJsonObject,
      },
    });
    const deliveryIds: string[] = [];
    const seen = new Map<string, number>();
    for (const listenerId of listenerIds) {
      // A listener named twice gets a delivery from each of two fan-outs, as a replay would make.
      const fanOut = seen.get(listenerId) ?? 0;
      seen.set(listenerId, fanOut + 1);
      const delivery = await tx.delivery.create({
        data: {
          projectId: hook.projectId,
          eventId: event.id,
          listenerId,
          hookId: hook.hookId,
          fanOut,
          nextAttemptAt: dueAt,
        },
      });
      deliveryIds.push(delivery.id);
    }
    return { eventId: event.id, deliveryIds };
  });
}
