/**
 * The one port through which the HTTP surfaces hand work to whatever delivers webhooks: the
 * embedded runner (in-process, database-backed) or the Inngest adapter. Deliveries are always
 * written to the database first (in the same transaction as their event), so a runner that is
 * down or restarting loses nothing; these calls only say "there is work now".
 */
export interface DeliveryRunner {
  /** Which runner this is, for logs and the dashboard ("embedded" | "inngest"). */
  readonly kind: "embedded" | "inngest";
  /** An accepted event's deliveries were stored and are due now. */
  deliveriesCreated(input: { projectId: string; eventId: string; deliveryIds: string[] }): Promise<void>;
  /** A user asked for one more attempt of these deliveries (each with its same webhook-id). */
  retryRequested(input: { projectId: string; deliveryIds: string[] }): Promise<void>;
  /** Starts background work if the runner has any (the embedded runner's poller). */
  start(): Promise<void>;
  /**
   * Stops background work: no new claims, work under way finished or handed back. `deadlineMs`:
   * how long it may take, so that the server's stop (SIGTERM) still closes the database in time.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
}
