import type { PrismaClient } from "@/generated/prisma/client";
import type { SendEvent } from "@/contracts/events";
import { getDb } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { isOperationalHookName } from "@/server/operational/hooks";
import { countEventAccepted } from "@/server/telemetry/metrics";
import { inSpan, traceparentOf } from "@/server/telemetry/tracing";
import { NotFoundError, ValidationError } from "../errors";
import { newId } from "../ids";
import { type IngestHook, type IngestHookVersion, ingestHookVersion, ingestPlanFor } from "../ingest-plan";
import { checkedPayload } from "./checked-payload";
import { assertSameRequest, earlierEventFor, eventRequestHash } from "./idempotency";
import { type EventServiceDeps, notifyRunner } from "./notify-runner";
import { storeAcceptedEvent } from "./store-accepted-event";
import { type DeliveryOutcome, waitForFirstOutcomes } from "./wait-for-outcomes";

/**
 * Matching and storing are tried again when the hook or its listeners changed in between; the last
 * try matches in the database, so that a hook whose listeners change constantly still takes events.
 */
const MAX_ACCEPT_ATTEMPTS = 3;

export interface SendEventOptions {
  /** The `Idempotency-Key` header, as its schema parsed it. */
  idempotencyKey?: string | null;
  /** `?wait=`: seconds (0–30) to wait for each delivery's first outcome. */
  waitSeconds?: number | null;
  /** Stops waiting when the client goes away. */
  signal?: AbortSignal;
  /** Durian's own operational event: only these may be sent to its `durian.*` hooks. */
  operational?: boolean;
}

export interface SendEventResult {
  eventId: string;
  /**
   * With `waitSeconds`: the deliveries made so far (all of them once matching finished). Matching runs
   * after the event is accepted, so an answer without waiting cannot say.
   */
  matched?: number;
  /** With `waitSeconds`: each delivery's first outcome (null where none arrived in time). */
  deliveries?: DeliveryOutcome[];
}

export interface SendEventOutcome {
  result: SendEventResult;
  /** True when an earlier request with the same Idempotency-Key already did the work. */
  repeated: boolean;
}

/**
 * Accepts an event for a version of the hook's fields (the latest unless it names one): checks the
 * payload against that version's providesArgs (unknown fields are refused,
 * not dropped, so a sender learns its mistake), stores the projected payload with its first fan-out in
 * one statement, tells the runner and answers. Matching and creating the deliveries run after that
 * (src/server/jobs/fan-out-job.ts); `waitSeconds` waits for them and for each delivery's first outcome.
 */
export async function sendEvent(
  projectId: string,
  hookName: string,
  input: SendEvent,
  options: SendEventOptions = {},
  deps: EventServiceDeps = {},
): Promise<SendEventOutcome> {
  const attributes = { "durian.project.id": projectId, "durian.hook.name": hookName };
  return inSpan("durian.event.accept", { attributes }, async (span) => {
    const outcome = await acceptEvent(projectId, hookName, input, options, deps);
    span.setAttributes({
      "durian.event.id": outcome.result.eventId,
      "durian.event.repeated": outcome.repeated,
    });
    return outcome;
  });
}

async function acceptEvent(
  projectId: string,
  hookName: string,
  { payload, sender, version }: SendEvent,
  options: SendEventOptions,
  deps: EventServiceDeps,
): Promise<SendEventOutcome> {
  if (isOperationalHookName(hookName) && !options.operational) {
    throw new ValidationError([
      {
        path: "name",
        message: `"${hookName}" is one of Durian's operational events: only Durian sends them`,
      },
    ]);
  }
  const db = deps.db ?? getDb();
  const now = deps.now ?? (() => new Date());
  const idempotencyKey = options.idempotencyKey ?? null;
  const waitUntil = options.waitSeconds == null ? null : Date.now() + options.waitSeconds * 1000;
  const requestHash = idempotencyKey === null ? null : eventRequestHash(payload, sender, version);

  if (idempotencyKey !== null) {
    const earlier = await earlierEventFor(db, projectId, idempotencyKey, now());
    if (earlier) {
      assertSameRequest(earlier, requestHash);
      return { result: await answerFor(db, earlier.id, waitUntil, options.signal), repeated: true };
    }
  }

  const eventId = newId();
  let reload = false;
  for (let attempt = 1; ; attempt++) {
    const plan = await ingestPlanFor(db, projectId, hookName, { reload });
    if (!plan) throw new NotFoundError(`Hook "${hookName}"`);
    const { hook } = plan;
    let projected: Record<string, unknown>;
    let fields: IngestHookVersion & { name: string };
    try {
      fields = requestedVersion(hook, version ?? null);
      projected = checkedPayload(fields, payload);
    } catch (error) {
      // The hook may have gained these fields since the plan was made: only a fresh plan may refuse.
      if (reload || !(error instanceof ValidationError)) throw error;
      reload = true;
      continue;
    }
    let stored: boolean;
    try {
      stored = await storeAcceptedEvent(db, {
        eventId,
        projectId,
        hook,
        hookVersion: fields.version,
        // The last try stores whatever the hook's version, so a hook that changes constantly still takes events.
        expectedVersion: attempt < MAX_ACCEPT_ATTEMPTS ? plan.version : null,
        payload: projected,
        sender: sender ?? null,
        idempotencyKey,
        requestHash,
        traceparent: traceparentOf(),
        acceptedAt: now(),
      });
    } catch (error) {
      if (idempotencyKey === null || !isUniqueViolation(error)) throw error;
      // A concurrent request with the same key committed first: answer as it did.
      const winner = await db.event.findUnique({
        where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
        select: { id: true, requestHash: true },
      });
      if (!winner) throw error;
      assertSameRequest(winner, requestHash);
      return { result: await answerFor(db, winner.id, waitUntil, options.signal), repeated: true };
    }
    if (stored) break;
    // The hook was deleted, or its fields changed since the plan was made: nothing was stored.
    reload = true;
  }
  countEventAccepted();

  await notifyRunner(deps, (runner) => runner.fanOutRequested({ projectId, eventId, fanOut: 0 }));
  return { result: await answerFor(db, eventId, waitUntil, options.signal), repeated: false };
}

/** The fields of the version the event is sent for (the latest unless it names one), or ValidationError. */
function requestedVersion(hook: IngestHook, version: number | null): IngestHookVersion & { name: string } {
  const fields = ingestHookVersion(hook, version);
  if (fields) return fields;
  throw new ValidationError([
    {
      path: "version",
      message: `hook "${hook.name}" has no version ${version} (its versions are 1 to ${hook.latestVersion})`,
    },
  ]);
}

/** The answer for an accepted event: its id, and with a wait, its first fan-out's deliveries and outcomes. */
async function answerFor(
  db: PrismaClient,
  eventId: string,
  waitUntil: number | null,
  signal: AbortSignal | undefined,
): Promise<SendEventResult> {
  if (waitUntil === null) return { eventId };
  const deliveries = await waitForFirstOutcomes(db, { eventId, fanOut: 0 }, waitUntil, signal);
  return { eventId, matched: deliveries.length, deliveries };
}
