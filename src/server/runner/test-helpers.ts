import type { PrismaClient } from "@/generated/prisma/client";

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function deliveryStatuses(db: PrismaClient, deliveryIds: string[]): Promise<Map<string, string>> {
  const rows = await db.delivery.findMany({ where: { id: { in: deliveryIds } }, select: { id: true, status: true } });
  return new Map(rows.map((row) => [row.id, row.status]));
}

export async function allSucceeded(db: PrismaClient, deliveryIds: string[]): Promise<boolean> {
  const statuses = await deliveryStatuses(db, deliveryIds);
  return deliveryIds.every((id) => statuses.get(id) === "succeeded");
}

/** A log that keeps messages for assertions instead of printing them. */
export function memoryLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (message: string) => void lines.push(`info ${message}`),
    warn: (message: string) => void lines.push(`warn ${message}`),
    error: (message: string, error?: unknown) => void lines.push(`error ${message} ${String(error ?? "")}`),
  };
}
