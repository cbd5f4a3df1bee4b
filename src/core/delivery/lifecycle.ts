/**
 * A delivery's life, as data: every way its status and lease may change, from which states, to which.
 * The server performs each transition in one place (src/server/delivery/lifecycle.ts) and builds its
 * SQL conditions from this table, so a rule such as "claimable" is written once.
 *
 *   pending ──claim──▶ delivering ──succeed──▶ succeeded
 *      ▲                │  │  └──────fail────▶ failed
 *      └─reschedule─────┘  │
 *      └─hand-back / expire-lease (the runner stopped, or died and its lease ran out)
 *   succeeded / failed ──retry──▶ pending      failed ──recover──▶ pending
 *   pending / delivering ──give-up──▶ failed   (the runner itself gave up on it)
 */

export const DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Which leases a transition accepts:
 * - `free`: no lease, or one that has run out (nobody is attempting the delivery, or its runner
 *   stopped without saying so);
 * - `held`: a live lease, which the caller holds (it claimed the delivery);
 * - `any`: whatever the lease says.
 */
export type LeaseCondition = "free" | "held" | "any";

/** What a transition does to the lease: take a new one, end it, or leave it. */
export type LeaseEffect = "take" | "end";

export interface DeliveryTransitionRule {
  from: readonly { status: DeliveryStatus; lease: LeaseCondition }[];
  to: DeliveryStatus;
  lease: LeaseEffect;
  /** The delivery becomes due now (true) or at a time the caller gives (false: keep or set it). */
  dueNow: boolean;
}

export const DELIVERY_TRANSITIONS = {
  /** A fan-out matched a listener: a new delivery, due now. */
  create: { from: [], to: "pending", lease: "end", dueNow: true },
  /** A runner takes a due delivery for one attempt. */
  claim: {
    from: [
      { status: "pending", lease: "free" },
      { status: "delivering", lease: "free" },
    ],
    to: "delivering",
    lease: "take",
    dueNow: false,
  },
  /** The attempt got a 2xx. */
  succeed: { from: [{ status: "delivering", lease: "any" }], to: "succeeded", lease: "end", dueNow: false },
  /** The attempt failed and the schedule has another attempt: due at that time. */
  reschedule: { from: [{ status: "delivering", lease: "any" }], to: "pending", lease: "end", dueNow: false },
  /** The attempt failed for good (schedule exhausted, blocked, 410 Gone, listener disabled). */
  fail: { from: [{ status: "delivering", lease: "any" }], to: "failed", lease: "end", dueNow: false },
  /** A stopping runner returns claims it did not send, at once rather than when their leases run out. */
  handBack: { from: [{ status: "delivering", lease: "held" }], to: "pending", lease: "end", dueNow: false },
  /** A runner died mid-attempt: once its lease runs out the delivery is attempted again (same webhook-id). */
  expireLease: {
    from: [{ status: "delivering", lease: "free" }],
    to: "pending",
    lease: "end",
    dueNow: false,
  },
  /** A user asks for one more attempt, now, with the same webhook-id; refused while an attempt runs. */
  retry: {
    from: [
      { status: "pending", lease: "free" },
      { status: "succeeded", lease: "any" },
      { status: "failed", lease: "any" },
      { status: "delivering", lease: "free" },
    ],
    to: "pending",
    lease: "end",
    dueNow: true,
  },
  /** After a receiver's outage: its failed deliveries since a time are attempted again, now. */
  recover: { from: [{ status: "failed", lease: "any" }], to: "pending", lease: "end", dueNow: true },
  /** The runner gave up on a delivery (its run ran out of retries): it ends failed, not pending forever. */
  giveUp: {
    from: [
      { status: "pending", lease: "any" },
      { status: "delivering", lease: "any" },
    ],
    to: "failed",
    lease: "end",
    dueNow: false,
  },
} as const satisfies Record<string, DeliveryTransitionRule>;

export type DeliveryTransition = keyof typeof DELIVERY_TRANSITIONS;

export interface DeliveryState {
  status: DeliveryStatus;
  /** When the current lease runs out; null when nobody holds one. */
  lockedUntil: Date | null;
}

function leaseIs(condition: LeaseCondition, lockedUntil: Date | null, now: Date): boolean {
  const live = lockedUntil !== null && lockedUntil > now;
  switch (condition) {
    case "any":
      return true;
    case "free":
      return !live;
    case "held":
      return live;
  }
}

/** Whether `transition` may happen to a delivery in `state` at `now`. */
export function canTransition(transition: DeliveryTransition, state: DeliveryState, now: Date): boolean {
  const rule: DeliveryTransitionRule = DELIVERY_TRANSITIONS[transition];
  return rule.from.some(
    (from) => from.status === state.status && leaseIs(from.lease, state.lockedUntil, now),
  );
}

/** The status an attempt's outcome leads to: the transition that records it. */
export function transitionAfterAttempt(next: {
  action: "succeeded" | "retry" | "failed" | "disable-listener";
}): "succeed" | "reschedule" | "fail" {
  switch (next.action) {
    case "succeeded":
      return "succeed";
    case "retry":
      return "reschedule";
    case "failed":
    case "disable-listener":
      return "fail";
  }
}
