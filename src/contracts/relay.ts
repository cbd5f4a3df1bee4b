import { z } from "zod";
import { filterSchema } from "@/core/filter";
import { idSchema, storableString } from "./common";
import { hookNameSchema } from "./hooks";
import { listenerNameSchema, listenerUrlSchema } from "./listeners";

// The relay: `durian listen` receives a relay listener's deliveries on a stream it opens to Durian
// (Durian never connects to the developer's machine), POSTs each to a local URL and reports the
// local answer back, which is recorded as the attempt.

/** Body of `POST /api/v1/relay/listeners`. */
export const openRelayListenerSchema = z
  .object({
    hook: hookNameSchema.meta({ description: "Name of the hook to listen to" }),
    filter: filterSchema.default({}),
    name: listenerNameSchema
      .min(1, "a relay listener needs a name")
      .default("durian listen")
      .meta({
        description:
          "Names the relay listener: opening one with the same hook, filter and name again reuses it " +
          "(with the deliveries that waited for it)",
        example: "durian listen on ada-laptop",
      }),
    forward: listenerUrlSchema.meta({
      description: "Where the CLI forwards each delivery on its own machine (recorded as the attempts' URL)",
      example: "http://localhost:3000/webhooks",
    }),
  })
  .meta({ id: "OpenRelayListener" });
export type OpenRelayListenerInput = z.input<typeof openRelayListenerSchema>;
export type OpenRelayListener = z.output<typeof openRelayListenerSchema>;

/** One delivery handed out on the stream: exactly the request a runner would have sent. */
export const relayDeliverySchema = z
  .object({
    deliveryId: idSchema,
    eventId: idSchema,
    hook: z.string(),
    attempt: z.number().int().meta({ description: "This attempt's number; report it back with the outcome" }),
    timeoutMs: z
      .number()
      .int()
      .meta({ description: "The hook's timeout: wait this long for the local answer, as a runner would" }),
    headers: z
      .record(z.string(), z.string())
      .meta({ description: "Standard Webhooks headers (signed with the listener's secret) and Durian's" }),
    body: z.string().meta({ description: "The request body, exactly as signed" }),
  })
  .meta({ id: "RelayDelivery" });
export type RelayDelivery = z.output<typeof relayDeliverySchema>;

/** How the CLI's local request failed before any answer (a refused connection, a timeout …). */
export const RELAY_ERROR_CLASSES = ["timeout", "dns", "refused", "tls"] as const;

/** The first 64 KB of a local answer's body are kept, as for any attempt. */
export const MAX_RELAY_RESPONSE_BODY_CHARS = 64 * 1024;

/** Body of `POST /api/v1/relay/deliveries/{id}/attempts`: what the local receiver answered. */
export const relayAttemptReportSchema = z
  .object({
    attempt: z.number().int().min(1).meta({ description: "The `attempt` of the handed-out delivery" }),
    timestamp: z
      .number()
      .int()
      .min(0)
      .meta({ description: "Its `webhook-timestamp` header: the recorded request is rebuilt from it" }),
    durationMs: z.number().int().min(0).max(3_600_000),
    response: z
      .object({
        status: z.number().int().min(100).max(599),
        headers: z.record(z.string(), storableString()).default({}),
        body: storableString().max(MAX_RELAY_RESPONSE_BODY_CHARS).default(""),
      })
      .optional()
      .meta({ description: "The local answer; absent when none came" }),
    error: z
      .object({ class: z.enum(RELAY_ERROR_CLASSES), message: storableString().max(1000) })
      .optional()
      .meta({ description: "Why no answer came; absent when one did" }),
  })
  .refine((report) => (report.response === undefined) !== (report.error === undefined), {
    error: "give either response or error",
    path: ["response"],
  })
  .meta({ id: "RelayAttemptReport" });
export type RelayAttemptReportInput = z.input<typeof relayAttemptReportSchema>;
export type RelayAttemptReport = z.output<typeof relayAttemptReportSchema>;

export const relayAttemptResultSchema = z
  .object({
    status: z
      .enum(["succeeded", "pending", "failed"])
      .meta({ description: "The delivery's status now: `pending` means another attempt is scheduled" }),
    nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: "RelayAttemptResult" });
