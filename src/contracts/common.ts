import { z } from "zod";
import { isStorableText, UNSTORABLE_TEXT_PROBLEM } from "@/core/payload/storable-text";

/**
 * Shared pieces of the API's schemas. The contracts import only zod and src/core, so the dashboard's
 * forms (in the browser), the tRPC routers, the REST edge and the services all use them. The OpenAPI
 * document (src/server/rest/openapi.ts) renders the same schemas that validate requests, so the two
 * cannot drift apart.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const MAX_ID_LENGTH = 64;
/** Larger request bodies are refused with 413, whatever Content-Length claims. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A string the database can store: PostgreSQL text and jsonb refuse NUL (\u0000) and unpaired
 * surrogates, so they are refused here, naming the field, rather than failing the write.
 */
export function storableString() {
  return z.string().refine(isStorableText, { error: UNSTORABLE_TEXT_PROBLEM });
}

export const idSchema = storableString().min(1).max(MAX_ID_LENGTH);

/** Opaque keyset cursor: pass a page's `nextCursor` to get the next page. */
export const cursorSchema = storableString()
  .min(1)
  .max(200)
  .meta({ description: "`nextCursor` of the previous page" });

export const pageQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `Page size, 1–${MAX_PAGE_SIZE}` }),
});
export type PageQuery = z.input<typeof pageQuerySchema>;

/** A time bound in a query string: an ISO 8601 timestamp. */
export const timeBoundSchema = z.iso
  .datetime({ offset: true, error: "expected an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z" })
  .transform((value) => new Date(value));

/** Timestamps as they appear in JSON responses. */
export const timestampSchema = z.iso.datetime({ offset: true });

export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  });
}

export const fieldErrorSchema = z
  .object({
    path: z
      .string()
      .meta({ description: "Dotted path into the request, e.g. `providesArgs.1` or `filter.name.$like`" }),
    message: z.string(),
  })
  .meta({ id: "FieldError" });

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "URI identifying the kind of problem" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(fieldErrorSchema)
      .optional()
      .meta({ description: "Field errors of a validation problem (422)" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (`application/problem+json`)" });

/** `projectId` a dashboard session may give; API keys already belong to one project. */
export const projectIdQuerySchema = z.object({
  projectId: idSchema.optional().meta({
    description: "Only with a session cookie: the project to act on (default: the user's first project)",
  }),
});
