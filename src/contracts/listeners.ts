import { z } from "zod";
import { customHeaderProblems } from "@/core/delivery/custom-headers";
import { filterSchema } from "@/core/filter";
import {
  idSchema,
  pageQuerySchema,
  pageSchema,
  storableString,
  timeBoundSchema,
  timestampSchema,
} from "./common";
import { hookNameSchema } from "./hooks";
import { customerSchema } from "./portal";

export const MAX_LISTENER_URL_LENGTH = 2048;
export const MAX_LISTENER_DESCRIPTION_LENGTH = 1000;
export const MAX_LISTENER_NAME_LENGTH = 100;

/** Trimmed; blank means none (the dashboard then shows the URL, shortened). */
export const listenerNameSchema = storableString()
  .trim()
  .max(MAX_LISTENER_NAME_LENGTH, `at most ${MAX_LISTENER_NAME_LENGTH} characters`)
  .meta({ description: "What people call the listener; blank for none", example: "CRM sync" });

/** Syntax only; whether the destination may be reached is decided by the listeners service. */
export const listenerUrlSchema = storableString()
  .min(1, "a listener needs a URL")
  .max(MAX_LISTENER_URL_LENGTH, `at most ${MAX_LISTENER_URL_LENGTH} characters`)
  .meta({
    description: "http(s) URL Durian POSTs each matching event to",
    example: "https://example.com/webhooks/durian",
  });

/** Custom headers sent with every delivery; Durian's own headers cannot be overridden. */
export const listenerHeadersSchema = z
  .record(z.string(), z.string())
  .superRefine((headers, ctx) => {
    for (const problem of customHeaderProblems(headers)) {
      const prefix = problem.header ? `headers.${problem.header}: ` : "headers: ";
      const message = problem.message.startsWith(prefix)
        ? problem.message.slice(prefix.length)
        : problem.message;
      ctx.addIssue({ code: "custom", path: problem.header ? [problem.header] : [], message });
    }
  })
  .meta({ description: 'Extra request headers, e.g. {"Authorization": "Bearer …"}' });

export const selfHealingSchema = z.boolean().meta({
  description:
    "Once disabled by failures, send it a signed ping on a backoff and, after 3 answered in a row, " +
    "enable it again and retry its failed deliveries",
});

/** Values of the hook's configForm options, checked against them by the listeners service. */
export const listenerConfigSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
    error: "must be an object of option values",
  })
  .meta({
    description: "Values of the hook's configForm options; options left out take their defaults",
    example: { format: "xml", include_address: true },
  });

const hookVersionNumberSchema = z
  .number()
  .int("must be a whole version number")
  .min(1, "versions start at 1");

/** Body of `POST /api/v1/listeners`. */
export const createListenerSchema = z
  .object({
    hook: hookNameSchema.meta({ description: "Name of the hook to listen to" }),
    name: listenerNameSchema.optional(),
    customer: customerSchema.optional(),
    url: listenerUrlSchema,
    filter: filterSchema.default({}),
    description: storableString().max(MAX_LISTENER_DESCRIPTION_LENGTH).default(""),
    headers: listenerHeadersSchema.default({}),
    envelope: z
      .boolean()
      .default(false)
      .meta({ description: "Deliver {type, version, timestamp, data, config?} instead of the bare payload" }),
    selfHealing: selfHealingSchema.default(false),
    hookVersion: hookVersionNumberSchema.optional().meta({
      description: "The version of the hook's fields to receive events of; the latest when left out",
    }),
    config: listenerConfigSchema.default({}),
  })
  .meta({ id: "CreateListener" });
export type CreateListenerInput = z.input<typeof createListenerSchema>;
export type CreateListener = z.output<typeof createListenerSchema>;

/** Body of `PATCH /api/v1/listeners/{id}`: only the fields given change. */
export const updateListenerSchema = z
  .object({
    name: listenerNameSchema.nullable().optional().meta({ description: "Blank or null removes the name" }),
    customer: customerSchema.nullable().optional().meta({ description: "null: the project's own listener" }),
    url: listenerUrlSchema.optional(),
    filter: filterSchema.optional(),
    description: storableString().max(MAX_LISTENER_DESCRIPTION_LENGTH).optional(),
    headers: listenerHeadersSchema.optional(),
    envelope: z.boolean().optional(),
    selfHealing: selfHealingSchema.optional(),
    hookVersion: hookVersionNumberSchema.optional().meta({
      description: "Move it to another version of the hook's fields (its filter must fit that version)",
    }),
    config: listenerConfigSchema.optional().meta({ description: "Replaces its config as a whole" }),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: "Re-enabling clears the failure count and the reason it was disabled" }),
  })
  .meta({ id: "UpdateListener" });
export type UpdateListenerInput = z.input<typeof updateListenerSchema>;
export type UpdateListener = z.output<typeof updateListenerSchema>;

export const listenerRecordSchema = z
  .object({
    id: idSchema,
    hook: z.string().meta({ description: "The hook's name" }),
    hookId: idSchema,
    name: z.string().nullable(),
    customer: z
      .string()
      .nullable()
      .meta({ description: "The customer it belongs to (see portal links); null: the project's own" }),
    url: z.string(),
    filter: filterSchema,
    description: z.string(),
    headers: z.record(z.string(), z.string()),
    envelope: z.boolean(),
    relay: z.boolean().meta({
      description:
        "A relay listener (`durian listen`): its deliveries are handed to the CLI's stream on a developer's " +
        "machine, never POSTed by Durian; `url` is where the CLI forwards them there",
    }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: timestampSchema.nullable().meta({ description: "When it was disabled; null while enabled" }),
    consecutiveFailures: z.number().int(),
    selfHealing: selfHealingSchema,
    hookVersion: z.number().int().meta({ description: "The version of the hook's fields it receives" }),
    config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    previousSecretUntil: timestampSchema
      .nullable()
      .meta({ description: "After a rotation, the previous secret keeps signing until then" }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: "Listener" });

export const listenerWithSecretSchema = listenerRecordSchema
  .extend({
    secret: z.string().meta({ description: "Signing secret (`whsec_…`) for Standard Webhooks signatures" }),
  })
  .meta({ id: "ListenerWithSecret" });

export const listListenersQuerySchema = pageQuerySchema.extend({
  hook: hookNameSchema.optional().meta({ description: "Only this hook's listeners" }),
  customer: customerSchema.optional().meta({ description: "Only this customer's listeners" }),
});
export type ListListenersQueryInput = z.input<typeof listListenersQuerySchema>;
export type ListListenersQuery = z.output<typeof listListenersQuerySchema>;
export const listenerPageSchema = pageSchema(listenerRecordSchema).meta({ id: "ListenerPage" });

/** Body of `POST /api/v1/listeners/{id}/recover`. */
export const recoverDeliveriesSchema = z
  .object({
    since: timeBoundSchema.meta({
      description: "Failed deliveries created at or after this time are attempted again",
      example: "2026-01-31T12:00:00Z",
    }),
  })
  .meta({ id: "RecoverDeliveries" });
export type RecoverDeliveriesInput = z.input<typeof recoverDeliveriesSchema>;
export type RecoverDeliveries = z.output<typeof recoverDeliveriesSchema>;

export const recoveredDeliveriesSchema = z
  .object({
    recovered: z.number().int().meta({ description: "How many failed deliveries are pending again" }),
  })
  .meta({ id: "RecoveredDeliveries" });
