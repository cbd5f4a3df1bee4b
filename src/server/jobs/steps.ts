/**
 * What a job may do besides computing, written once and run by either runner: the Inngest adapter
 * maps these onto `step.run`, `step.sleepUntil` and `step.sendEvent` (durable, memoized by id); the
 * embedded runner runs a step at once, ends the run at a sleep (the database already says when the
 * work is due again, and its claims pick it up then), and treats sent events as "there is work now".
 * So a job must read what it resumes from (a delivery's attempts, a fan-out's progress) from the
 * database in a step, and every step must be safe to run again.
 */
export interface JobSteps {
  /** Runs `work` once per id; its result must be plain JSON. */
  run<T>(id: string, work: () => Promise<T>): Promise<T>;
  /** Resumes the job at `until` (an ISO time). */
  sleepUntil(id: string, until: string): Promise<void>;
  /** Starts other jobs. */
  sendEvents(id: string, events: JobEvent[]): Promise<void>;
}

/** An event's fan-out is due: match it and create its deliveries. */
export const FAN_OUT_REQUESTED = "durian/event.accepted";
/** A delivery is due: attempt it until it succeeds or its schedule runs out. */
export const DELIVERY_REQUESTED = "durian/delivery.requested";

export interface FanOutRequestedData {
  projectId: string;
  eventId: string;
  /** 0 for the event's first fan-out, 1, 2 … for its replays. */
  fanOut: number;
}

export interface DeliveryRequestedData {
  projectId: string;
  deliveryId: string;
  /** Concurrency keys: attempts per listener and per project are limited. */
  listenerId: string;
  /**
   * Sent by the recovery sweep for a delivery it found stranded. Such a run ends without waiting if,
   * before it attempted anything, it finds the delivery not due: another run attempted it meanwhile
   * and carries on with it.
   */
  recovery?: boolean;
}

export type JobEvent =
  | { name: typeof FAN_OUT_REQUESTED; id: string; data: FanOutRequestedData }
  | { name: typeof DELIVERY_REQUESTED; id: string; data: DeliveryRequestedData };

/** The event that asks for a fan-out; its id makes a repeated request for the same fan-out a no-op. */
export function fanOutRequested(data: FanOutRequestedData): JobEvent {
  return { name: FAN_OUT_REQUESTED, id: `fan-out:${data.eventId}:${data.fanOut}`, data };
}

/** The first request for a delivery: its id is the delivery's, so a repeated fan-out page asks once. */
export function deliveryRequested(projectId: string, delivery: { id: string; listenerId: string }): JobEvent {
  return {
    name: DELIVERY_REQUESTED,
    id: delivery.id,
    data: { projectId, deliveryId: delivery.id, listenerId: delivery.listenerId },
  };
}
