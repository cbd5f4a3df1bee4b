// durian's ModelHook for Prisma: a Prisma Client extension that sends a hook after the app writes one
// of its own models. Typed by duck type, so the SDK never imports a generated client.

import type { HookKind, Payload } from "./api-types";
import type { Durian } from "./client";
import { DurianError, ModelHookSendError } from "./errors";
import { Hook, type HookOptions, type PreparePayload } from "./hook";

/** Queries after which the written record is sent, and whether they return one record or a list. */
const SENDING_OPERATIONS = {
  create: "one",
  update: "one",
  upsert: "one",
  createManyAndReturn: "list",
  updateManyAndReturn: "list",
} as const;
const DELETING_OPERATIONS = { delete: "one" } as const;

/** Field kinds of Prisma's runtime data model that hold a value on the record (not relations). */
const VALUE_FIELD_KINDS = new Set(["scalar", "enum"]);

export interface ModelHookOptions extends Partial<HookOptions> {
  /** The Prisma model, as named in the schema: `"Person"`. */
  model: string;
}

/** A hook sent with the model's record after it is written (see `modelHook`). */
export class ModelHook extends Hook {
  override readonly kind: HookKind = "model";
  model!: string;

  constructor(options?: ModelHookOptions) {
    super(
      options && {
        ...options,
        name: options.name ?? defaultHookName(options.model),
      },
    );
    if (options) this.model = options.model;
  }
}

export interface ModelHookExtensionOptions {
  durian: Durian;
  /** The Prisma model, as named in the schema: `"Person"`. */
  model: string;
  /**
   * The hook to send: an existing Hook (registered on `durian` if it is not yet), or the name of a
   * ModelHook to create and register. Default name: the model's with a lower-case first letter.
   */
  hook?: string | Hook;
  /** Default: the model's scalar and enum fields, minus `idField`, read from the Prisma client. */
  providesArgs?: readonly string[];
  /** The field left out of the default providesArgs (Prisma 7's runtime data model does not mark it). Default `"id"`. */
  idField?: string;
  verboseName?: string;
  description?: string;
  timeoutMs?: number;
  retrySchedule?: readonly number[];
  /** Turns the written record into the payload before it is projected (Hook's `preparePayload`). */
  preparePayload?: PreparePayload;
  /** Also send after `delete` (with the deleted record). Default false. */
  onDelete?: boolean;
  /** The event's sender. Default: the model name. */
  sender?: string;
  /**
   * Told when the record was written but the event could not be sent. Without it the query throws
   * ModelHookSendError (carrying the record) — the write has happened either way.
   */
  onSendError?: (error: ModelHookSendError) => void;
}

/** The part of a Prisma client the extension uses. */
export interface PrismaClientLike {
  $extends(extension: object): unknown;
}

interface QueryContext {
  model?: string;
  operation: string;
  args: unknown;
  query: (args: unknown) => Promise<unknown>;
}

/** What Prisma's `$extends` expects of an extension function (its result type stays the client's). */
export type PrismaExtension = (client: unknown) => {
  // Prisma's own type for an extension that adds nothing; `object` lacks the index signatures it expects.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  $extends: { extArgs: { result: {}; model: {}; query: {}; client: {} } };
};

/**
 * A Prisma Client extension that sends the hook after each create, update, upsert,
 * createManyAndReturn and updateManyAndReturn of `model` (and delete, with `onDelete`):
 *
 *     const prisma = new PrismaClient({ adapter }).$extends(modelHook({ durian, model: "Person" }));
 *     await durian.hooks.sync();
 *
 * Applying the extension registers the hook on `durian` (so sync after it). The send is awaited before
 * the query resolves. createMany, updateMany and deleteMany return counts, not records, and send
 * nothing. With `select` or `omit`, the payload holds only the provided fields the query returned.
 * Inside an interactive transaction the event is sent before the transaction commits.
 */
export function modelHook(options: ModelHookExtensionOptions): PrismaExtension {
  const extension = (client: PrismaClientLike) => {
    const hook = resolveHook(options, client);
    const sender = options.sender ?? options.model;
    const operations: Record<string, "one" | "list"> = {
      ...SENDING_OPERATIONS,
      ...(options.onDelete ? DELETING_OPERATIONS : {}),
    };

    const sendRecord = async (record: unknown) => {
      if (typeof record !== "object" || record === null) return;
      try {
        await hook.send(sender, record as Payload);
      } catch (cause) {
        const error = new ModelHookSendError(hook.name, record as Payload, cause);
        if (!options.onSendError) throw error;
        options.onSendError(error);
      }
    };

    return client.$extends({
      name: `durian-model-hook:${options.model}`,
      query: {
        $allModels: {
          async $allOperations({ model, operation, args, query }: QueryContext) {
            const shape = model === options.model ? operations[operation] : undefined;
            const result = await query(args);
            if (shape === "one") await sendRecord(result);
            if (shape === "list" && Array.isArray(result)) {
              for (const record of result) await sendRecord(record);
            }
            return result;
          },
        },
      },
    });
  };
  return extension as unknown as PrismaExtension;
}

function resolveHook(options: ModelHookExtensionOptions, client: PrismaClientLike): Hook {
  const { durian } = options;
  if (options.hook instanceof Hook) {
    if (durian.hooks.get(options.hook.name) !== options.hook) durian.hooks.register(options.hook);
    return options.hook;
  }
  const name = options.hook ?? defaultHookName(options.model);
  const existing = durian.hooks.get(name);
  // Applying the same extension to a second client reuses the hook it registered the first time.
  if (existing instanceof ModelHook && existing.model === options.model) return existing;
  return durian.hooks.register(
    new ModelHook({
      name,
      model: options.model,
      providesArgs: options.providesArgs ?? modelFields(client, options.model, options.idField ?? "id"),
      verboseName: options.verboseName,
      description: options.description,
      timeoutMs: options.timeoutMs,
      retrySchedule: options.retrySchedule,
      preparePayload: options.preparePayload,
    }),
  );
}

interface RuntimeDataModel {
  models: Record<string, { fields: { name: string; kind: string }[] } | undefined>;
}

/**
 * The model's value fields minus the id, as durian did. Prisma 7's `prisma-client` generator has no
 * `Prisma.dmmf`; the client keeps the runtime data model (names and kinds of fields) on
 * `_runtimeDataModel`, which is what Prisma's own extensions read. Pass providesArgs to avoid relying on it.
 */
function modelFields(client: PrismaClientLike, model: string, idField: string): string[] {
  const dataModel = (client as { _runtimeDataModel?: RuntimeDataModel })._runtimeDataModel;
  if (!dataModel?.models) {
    throw new DurianError(
      `modelHook("${model}"): this Prisma client does not expose its data model; pass providesArgs explicitly`,
    );
  }
  const definition = dataModel.models[model];
  if (!definition) {
    const known = Object.keys(dataModel.models).join(", ");
    throw new DurianError(`modelHook: the Prisma client has no model "${model}" (models: ${known})`);
  }
  return definition.fields
    .filter((field) => VALUE_FIELD_KINDS.has(field.kind) && field.name !== idField)
    .map((field) => field.name);
}

function defaultHookName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}
