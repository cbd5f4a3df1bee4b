import { describe, expect, it } from "vitest";
import { canTransition, DELIVERY_STATUSES, DELIVERY_TRANSITIONS, type DeliveryTransition } from "./lifecycle";

// The delivery lifecycle, pinned: which transition may happen from which status and lease, to which status.

const now = new Date("2026-12-02T12:00:00Z");
const leases = {
  none: null,
  expired: new Date(now.getTime() - 1),
  live: new Date(now.getTime() + 60_000),
} as const;

/** Every (status, lease) a transition accepts, as "status/lease" strings. */
function acceptedStates(transition: DeliveryTransition): string[] {
  return DELIVERY_STATUSES.flatMap((status) =>
    Object.entries(leases)
      .filter(([, lockedUntil]) => canTransition(transition, { status, lockedUntil }, now))
      .map(([lease]) => `${status}/${lease}`),
  );
}

describe("the delivery lifecycle", () => {
  it("allows each transition from exactly these states, to exactly this status", () => {
    const table = Object.fromEntries(
      (Object.keys(DELIVERY_TRANSITIONS) as DeliveryTransition[]).map((transition) => [
        transition,
        `${acceptedStates(transition).join(" ") || "(new)"} → ${DELIVERY_TRANSITIONS[transition].to}`,
      ]),
    );
    expect(table).toEqual({
      create: "(new) → pending",
      claim: "pending/none pending/expired delivering/none delivering/expired → delivering",
      succeed: "delivering/none delivering/expired delivering/live → succeeded",
      reschedule: "delivering/none delivering/expired delivering/live → pending",
      fail: "delivering/none delivering/expired delivering/live → failed",
      handBack: "delivering/live → pending",
      expireLease: "delivering/none delivering/expired → pending",
      retry:
        "pending/none pending/expired delivering/none delivering/expired succeeded/none succeeded/expired succeeded/live failed/none failed/expired failed/live → pending",
      recover: "failed/none failed/expired failed/live → pending",
      giveUp:
        "pending/none pending/expired pending/live delivering/none delivering/expired delivering/live → failed",
    });
  });

  it("never lets a delivery under a live lease be claimed or retried by someone else", () => {
    for (const status of DELIVERY_STATUSES) {
      const state = { status, lockedUntil: leases.live };
      expect(canTransition("claim", state, now)).toBe(false);
      if (status === "pending" || status === "delivering")
        expect(canTransition("retry", state, now)).toBe(false);
    }
  });

  it("ends every lease when an attempt is recorded", () => {
    for (const transition of ["succeed", "reschedule", "fail"] as const)
      expect(DELIVERY_TRANSITIONS[transition].lease).toBe("end");
    expect(DELIVERY_TRANSITIONS.claim.lease).toBe("take");
  });
});
