import {
  attemptDelivery,
  buildDeliveryRequest,
  type DestinationAllowlist,
  type ResolveHost,
} from "@/core/delivery";
import { afterProbe, DEFAULT_PROBE_SCHEDULE, type ProbeSchedule } from "@/core/delivery/probe-schedule";
import { signingSecrets } from "@/core/signing/rotation";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { newRecordId } from "@/server/delivery/record-id";
import { ownOrigins } from "@/server/http/origins";
import { allowlistForDestination } from "@/server/inspector/own-inspector-url";
import type { JobSteps } from "@/server/jobs/steps";
import type { DeliveryRunner } from "@/server/runner/port";
import { openListenerSecret } from "@/server/secrets";
import { DISABLED_BY_USER_REASON } from "@/server/services/listeners";
import { restoreListener } from "./restore-listener";

// Self-healing listeners (opt-in per listener): one disabled by failures (not by a user) is sent a
// signed ping on a backoff (src/core/delivery/probe-schedule.ts); after enough answered in a row it is
// enabled again, its failed deliveries are recovered and `durian.listener.recovered` is sent. Written
// once as a job: the embedded runner runs it on a timer, the Inngest runner from a cron function.

/** The hook name a ping carries (`durian-hook`, and `type` in its body). */
export const PING_TYPE = "durian.ping";
/** Listeners pinged per sweep at most; the rest wait for the next sweep. */
export const MAX_PROBES_PER_SWEEP = 50;
/** A claimed ping holds its listener this long beyond the hook's timeout, so two sweeps never ping it at once. */
const PROBE_LEASE_MARGIN_MS = 30_000;

export interface SelfHealingDeps {
  db: () => PrismaClient;
  allowlist: DestinationAllowlist;
  runner?: DeliveryRunner;
  schedule?: ProbeSchedule;
  now?: () => Date;
  resolveHost?: ResolveHost;
  ownOrigins?: readonly string[];
  log?: { error(message: string, error?: unknown): void };
}

export interface SelfHealingResult {
  probed: number;
  healed: number;
}

/** One sweep: claims the listeners due a ping, then pings each in a step of its own. */
export async function selfHealingJob(steps: JobSteps, deps: SelfHealingDeps): Promise<SelfHealingResult> {
  const due = await steps.run("find-listeners-due-a-ping", () => claimDueProbes(deps));
  let healed = 0;
  for (const listenerId of due) {
    const result = await steps.run(`ping-${listenerId}`, () => probeListener(deps, listenerId));
    if (result.healed) healed++;
  }
  return { probed: due.length, healed };
}

function clock(deps: SelfHealingDeps): Date {
  return (deps.now ?? (() => new Date()))();
}

const at = (time: Date) => Prisma.sql`${time.toISOString()}::timestamp(3)`;

/** Due: self-healing, disabled by failures, its next ping (or the first, a while after it was disabled) due. */
async function claimDueProbes(deps: SelfHealingDeps): Promise<string[]> {
  const now = clock(deps);
  const schedule = deps.schedule ?? DEFAULT_PROBE_SCHEDULE;
  const dueAt = Prisma.sql`COALESCE(l."nextProbeAt", l."disabledAt" + ${schedule.firstAfterMs} * interval '1 millisecond')`;
  const rows = await deps.db().$queryRaw<{ id: string }[]>`
    WITH due AS (
      SELECT l.id FROM "Listener" l
      WHERE l."selfHealing" AND NOT l.enabled AND l."disabledAt" IS NOT NULL
        AND l."disabledReason" IS DISTINCT FROM ${DISABLED_BY_USER_REASON}
        AND ${dueAt} <= ${at(now)}
      ORDER BY ${dueAt}, l.id LIMIT ${MAX_PROBES_PER_SWEEP}
      FOR UPDATE OF l SKIP LOCKED
    )
    UPDATE "Listener" l
    SET "nextProbeAt" = ${at(now)} + ((h."timeoutMs" + ${PROBE_LEASE_MARGIN_MS}) * interval '1 millisecond')
    FROM due, "Hook" h
    WHERE l.id = due.id AND h.id = l."hookId"
    RETURNING l.id`;
  return rows.map((row) => row.id);
}

/** Pings one claimed listener and records the result; heals it after enough answered pings. */
async function probeListener(deps: SelfHealingDeps, listenerId: string): Promise<{ healed: boolean }> {
  const db = deps.db();
  const listener = await db.listener.findUnique({
    where: { id: listenerId },
    include: { hook: { select: { timeoutMs: true } } },
  });
  if (!listener || listener.enabled || !listener.selfHealing) return { healed: false };
  const answered = await ping(deps, listener);
  const verdict = afterProbe(
    answered,
    { successes: listener.probeSuccesses, failures: listener.probeFailures },
    deps.schedule ?? DEFAULT_PROBE_SCHEDULE,
  );
  if (verdict.heal) {
    const restored = await restoreListener(
      { db, runner: deps.runner, now: deps.now, log: deps.log },
      { projectId: listener.projectId, listenerId, by: "self-healing" },
    );
    return { healed: restored.restored };
  }
  const now = clock(deps);
  // Only while it is still disabled and self-healing: a user may have changed it meanwhile.
  await db.listener.updateMany({
    where: { id: listenerId, enabled: false, selfHealing: true },
    data: {
      probeSuccesses: verdict.successes,
      probeFailures: verdict.failures,
      nextProbeAt: new Date(now.getTime() + verdict.nextProbeInMs),
    },
  });
  return { healed: false };
}

/** A POST signed like a delivery (Standard Webhooks headers, the listener's custom headers); true on a 2xx. */
async function ping(
  deps: SelfHealingDeps,
  listener: {
    id: string;
    url: string;
    headers: unknown;
    secret: string;
    previousSecret: string | null;
    previousSecretUntil: Date | null;
    disabledAt: Date | null;
    hook: { timeoutMs: number };
  },
): Promise<boolean> {
  const now = clock(deps);
  const pingId = `ping_${newRecordId()}`;
  const secrets = signingSecrets(
    {
      secret: openListenerSecret(listener.secret),
      previousSecret: listener.previousSecret ? openListenerSecret(listener.previousSecret) : null,
      previousSecretUntil: listener.previousSecretUntil,
    },
    now,
  );
  const request = await buildDeliveryRequest({
    deliveryId: pingId,
    eventId: pingId,
    hookName: PING_TYPE,
    payload: { listenerId: listener.id, disabledAt: listener.disabledAt?.toISOString() ?? null },
    eventCreatedAt: now,
    envelope: true,
    customHeaders: listener.headers,
    secrets,
    attemptAt: now,
  });
  const result = await attemptDelivery({
    url: listener.url,
    headers: request.headers,
    body: request.body,
    timeoutMs: listener.hook.timeoutMs,
    allowlist: allowlistForDestination(listener.url, deps.allowlist, deps.ownOrigins ?? ownOrigins()),
    resolveHost: deps.resolveHost,
  });
  return result.ok;
}
