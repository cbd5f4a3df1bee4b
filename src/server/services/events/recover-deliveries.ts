import type { RecoverDeliveries } from "@/contracts/listeners";
import { getDb } from "@/server/db/client";
import { recoverDeliveries } from "@/server/delivery/lifecycle";
import { ConflictError, NotFoundError } from "../errors";
import { type EventServiceDeps, notifyRunner } from "./notify-runner";

/**
 * Attempts again, now, every failed delivery of the listener created since `since`, each with its own
 * webhook-id: what a receiver's owner wants once an outage is over (Svix calls it "recover"). The
 * listener must be enabled, or the attempts would fail again at once without being sent.
 */
export async function recoverFailedDeliveries(
  projectId: string,
  listenerId: string,
  { since }: RecoverDeliveries,
  deps: EventServiceDeps = {},
): Promise<{ recovered: number }> {
  const db = deps.db ?? getDb();
  const listener = await db.listener.findFirst({
    where: { id: listenerId, projectId },
    select: { enabled: true },
  });
  if (!listener) throw new NotFoundError("Listener");
  if (!listener.enabled) {
    throw new ConflictError("The listener is disabled; enable it before recovering its failed deliveries");
  }
  const now = (deps.now ?? (() => new Date()))();
  const deliveryIds = await recoverDeliveries(db, { projectId, listenerId, since, now });
  if (deliveryIds.length > 0) {
    await notifyRunner(deps, (runner) => runner.retryRequested({ projectId, deliveryIds }));
  }
  return { recovered: deliveryIds.length };
}
