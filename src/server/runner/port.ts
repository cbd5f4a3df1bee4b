/**
 * The one port through which the HTTP surfaces hand work to whatever runs the jobs (src/server/jobs):
 * the embedded runner (in-process, database-backed) or the Inngest adapter. The work is always written
 * to the database first (an accepted event with its fan-out, a delivery due now), so a runner that is
 * down or restarting loses nothing; these calls only say "there is work now".
 */
export interface DeliveryRunner {
  /** Which runner this is, for logs and the dashboard ("embedded" | "inngest"). */
  readonly kind: "embedded" | "inngest";
  /** An event was accepted or replayed: its fan-out (number `fanOut`) is stored and due now. */
  fanOutRequested(input: { projectId: string; eventId: string; fanOut: number }): Promise<void>;
  /** Deliveries were created directly (a test event) and are due now. */
  deliveriesCreated(input: {
    projectId: string;
    deliveries: { id: string; listenerId: string }[];
  }): Promise<void>;
  /** A user asked for one more attempt of these deliveries (each with its same webhook-id). */
  retryRequested(input: { projectId: string; deliveryIds: string[] }): Promise<void>;
  /** Starts background work if the runner has any (the embedded runner's claims). */
  start(): Promise<void>;
  /**
   * Stops claiming work, lets attempts in flight finish for up to `deadlineMs`, and hands the rest
   * back at once for any runner to take.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
}
