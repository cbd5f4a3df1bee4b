import { z } from "zod";
import { jsonValueSchema } from "@/core/filter/json";
import { MAX_JSON_DEPTH, pathDeeperThan, TOO_DEEP_PROBLEM } from "@/core/payload/json-depth";
import { UNSTORABLE_TEXT_PROBLEM, unstorableTextPaths } from "@/core/payload/storable-text";
import {
  idSchema,
  pageQuerySchema,
  pageSchema,
  storableString,
  timeBoundSchema,
  timestampSchema,
} from "./common";
import { hookNameSchema } from "./hooks";

/** `?wait=` may hold the request open this long at most (durian's `async = False`, for tests and scripts). */
export const MAX_WAIT_SECONDS = 30;
export const MAX_SENDER_LENGTH = 200;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Depth first, so that nothing walks a value nested 10,000 deep; then the text in it. */
function storableJsonProblems(value: unknown, ctx: z.RefinementCtx, at: string[]): void {
  const tooDeep = pathDeeperThan(value);
  if (tooDeep) {
    ctx.addIssue({ code: "custom", path: [...at, ...tooDeep], message: TOO_DEEP_PROBLEM });
    return;
  }
  for (const path of unstorableTextPaths(value))
    ctx.addIssue({ code: "custom", path: [...at, ...path], message: UNSTORABLE_TEXT_PROBLEM });
}

/**
 * The payload exactly as sent: a custom check rather than z.record, which would rebuild the object
 * and silently drop a key like "__proto__" instead of refusing it as an unknown field.
 */
export const payloadSchema = z
  .custom<Record<string, unknown>>(isPlainObject, { error: "must be a JSON object of the hook's fields" })
  .meta({
    description:
      "Only fields in the hook's providesArgs; anything else is refused. Values nest at most " +
      `${MAX_JSON_DEPTH} levels; numbers must arrive exactly as written (send others as strings); ` +
      "no string may hold NUL (\\u0000) or an unpaired surrogate",
    override: { type: "object", additionalProperties: true },
  });

/** Body of `POST /api/v1/hooks/{name}/events`. */
export const sendEventSchema = z
  .object({
    payload: payloadSchema,
    sender: storableString()
      .max(MAX_SENDER_LENGTH)
      .nullish()
      .meta({ description: "Who caused the event (durian's `sender`)" }),
    version: z
      .number()
      .int("must be a whole version number")
      .min(1, "versions start at 1")
      .optional()
      .meta({
        description:
          "The version of the hook's fields the event is sent for (the latest when left out): it is " +
          "validated and projected with that version's fields and delivered to that version's listeners",
        example: 2,
      }),
  })
  // On the object: a refinement of the custom payload schema would hide it from the OpenAPI document.
  .superRefine((input, ctx) => storableJsonProblems(input.payload, ctx, ["payload"]))
  .meta({ id: "SendEvent" });
export type SendEventInput = z.input<typeof sendEventSchema>;
export type SendEvent = z.output<typeof sendEventSchema>;

/** The dashboard's "Send a test event" to one listener: the user's payload, or a sample one when none is given. */
export const sendTestEventSchema = z
  .object({ id: idSchema, payload: payloadSchema.optional() })
  .superRefine((input, ctx) => {
    if (input.payload !== undefined) storableJsonProblems(input.payload, ctx, ["payload"]);
  });
export type SendTestEvent = z.output<typeof sendTestEventSchema>;

/** Plain decimal seconds: `0x10`, `1e1`, ` 5` and an empty value are refused, not read as numbers. */
const DECIMAL_SECONDS = /^\d+(?:\.\d+)?$/;

export const waitSecondsSchema = z
  .union([
    z.number(),
    z
      .string()
      .regex(DECIMAL_SECONDS, "must be a number of seconds written in decimal digits, e.g. 5 or 2.5")
      .transform(Number),
  ])
  .pipe(
    z
      .number({ error: "must be a number of seconds" })
      .min(0, "must be 0 or more seconds")
      .max(MAX_WAIT_SECONDS, `at most ${MAX_WAIT_SECONDS} seconds`),
  );

export const sendEventQuerySchema = z.object({
  wait: waitSecondsSchema.optional().meta({
    description: `Wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) for each delivery's first outcome`,
  }),
});

export const idempotencyKeySchema = storableString()
  .min(1, "must not be empty")
  .max(MAX_IDEMPOTENCY_KEY_LENGTH, `at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);

export const sendEventHeadersSchema = z.object({
  "Idempotency-Key": idempotencyKeySchema.optional().meta({
    description:
      "A repeat within 24 hours with the same payload and sender returns the first answer and creates " +
      "nothing new; a repeat with a different payload, sender or version is refused with 422",
  }),
});

export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);

export const attemptSchema = z
  .object({
    id: idSchema,
    number: z.number().int(),
    startedAt: timestampSchema,
    durationMs: z.number().int(),
    requestUrl: z.string(),
    requestHeaders: z.record(z.string(), z.string()),
    requestBody: z.string(),
    responseStatus: z.number().int().nullable(),
    responseHeaders: z.record(z.string(), z.string()).nullable(),
    responseBody: z.string().nullable().meta({ description: "The first 64 KB" }),
    errorClass: z.string().nullable().meta({ description: "timeout | dns | refused | tls | blocked | http" }),
    errorMessage: z.string().nullable(),
    nextAttemptAt: timestampSchema.nullable(),
  })
  .meta({ id: "DeliveryAttempt" });

export const deliverySchema = z
  .object({
    id: idSchema,
    eventId: idSchema,
    listenerId: idSchema,
    listenerUrl: z.string(),
    listenerName: z.string().nullable(),
    hookId: idSchema,
    status: deliveryStatusSchema,
    attemptCount: z.number().int(),
    nextAttemptAt: timestampSchema.nullable(),
    lastAttemptAt: timestampSchema.nullable(),
    lastStatusCode: z.number().int().nullable(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "Delivery" });

export const deliveryWithAttemptsSchema = deliverySchema
  .extend({ attempts: z.array(attemptSchema) })
  .meta({ id: "DeliveryWithAttempts" });

/** A delivery's first outcome, as `?wait=` reports it. */
export const deliveryOutcomeSchema = z
  .object({
    id: idSchema,
    listenerId: idSchema,
    status: deliveryStatusSchema,
    attemptCount: z.number().int(),
    firstAttempt: z
      .object({
        responseStatus: z.number().int().nullable(),
        errorClass: z.string().nullable(),
        errorMessage: z.string().nullable(),
        durationMs: z.number().int(),
      })
      .nullable()
      .meta({ description: "null when no attempt finished before the wait ran out" }),
  })
  .meta({ id: "DeliveryOutcome" });

export const sendEventResultSchema = z
  .object({
    eventId: idSchema,
    matched: z
      .number()
      .int()
      .optional()
      .meta({
        description:
          "With `?wait=`: the deliveries made by the time of the answer (all of them once matching finished). " +
          "The event is matched against the listeners after it is accepted, so an answer without waiting omits it.",
      }),
    deliveries: z
      .array(deliveryOutcomeSchema)
      .optional()
      .meta({ description: "With `?wait=`: each delivery's first outcome" }),
  })
  .meta({ id: "SendEventResult" });

export const replayResultSchema = z
  .object({
    eventId: idSchema,
    replay: z.number().int().meta({
      description:
        "The replay's number: an event is matched once when accepted (0), then once per replay (1, 2 …)",
    }),
    matched: z.number().int().optional().meta({
      description: "How many of today's listeners matched, when matching finished before the answer",
    }),
    deliveryIds: z.array(idSchema).optional(),
  })
  .meta({ id: "ReplayResult" });

export const eventSummarySchema = z
  .object({
    id: idSchema,
    hookId: idSchema,
    hook: z.string().meta({ description: "The hook's name when the event was sent" }),
    hookVersion: z.number().int().meta({ description: "The version of the hook's fields it was sent for" }),
    payload: z
      .record(z.string(), jsonValueSchema)
      .meta({ description: "Projected to the hook's providesArgs" }),
    sender: z.string().nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: "EventSummary" });

export const eventDetailSchema = eventSummarySchema
  .extend({ deliveries: z.array(deliveryWithAttemptsSchema) })
  .meta({ id: "Event" });

export const listEventsQuerySchema = pageQuerySchema.extend({
  hook: hookNameSchema.optional().meta({ description: "Only this hook's events" }),
  since: timeBoundSchema.optional().meta({ description: "Created at or after (ISO 8601)" }),
  until: timeBoundSchema.optional().meta({ description: "Created before (ISO 8601)" }),
});
export type ListEventsQueryInput = z.input<typeof listEventsQuerySchema>;
export type ListEventsQuery = z.output<typeof listEventsQuerySchema>;
export const eventPageSchema = pageSchema(eventSummarySchema).meta({ id: "EventPage" });

export const listDeliveriesQuerySchema = pageQuerySchema.extend({
  status: deliveryStatusSchema.optional(),
  hook: hookNameSchema.optional().meta({ description: "Only deliveries of this hook's events" }),
  listenerId: idSchema.optional(),
  eventId: idSchema.optional(),
  since: timeBoundSchema.optional().meta({ description: "Created at or after (ISO 8601)" }),
  until: timeBoundSchema.optional().meta({ description: "Created before (ISO 8601)" }),
});
export type ListDeliveriesQueryInput = z.input<typeof listDeliveriesQuerySchema>;
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuerySchema>;
export const deliveryPageSchema = pageSchema(deliverySchema).meta({ id: "DeliveryPage" });

/** The dashboard's delivery log: its filters, as its live view asks what changed under them. */
export const deliveryLogFiltersSchema = z.object({
  status: deliveryStatusSchema.optional(),
  hook: hookNameSchema.optional(),
  listenerId: idSchema.optional(),
  since: timeBoundSchema.optional(),
  until: timeBoundSchema.optional(),
});
export type DeliveryLogFilters = z.output<typeof deliveryLogFiltersSchema>;
