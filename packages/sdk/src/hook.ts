import type {
  ConfigOption,
  HookDefinition,
  HookKind,
  Payload,
  SendEventOptions,
  SendEventResult,
} from "./api-types";
import { clientOf } from "./binding";
import { InvalidPayload } from "./errors";
import { fieldNames, payloadValidatorFor, type HookFieldDeclaration, type PayloadOf } from "./fields";
import { validateHookDefinition } from "./hook-definition";
import { isPlainObject } from "./json-value";
import { ListenerBuilder, type ListenerOptions } from "./listener-builder";
import { projectPayload } from "./project";

/** durian's `prepare_payload`: the payload to send, made from what the app passed to `send`. */
export type PreparePayload = (sender: string | null, payload: Payload) => Payload | Promise<Payload>;

export interface HookOptions<
  Fields extends readonly HookFieldDeclaration[] = readonly HookFieldDeclaration[],
> {
  name: string;
  verboseName?: string;
  description?: string;
  /**
   * The payload fields listeners may see; nothing else leaves the app. A bare name takes any JSON
   * value; a typed field (`{ name, schema, required }`) is checked before sending and types `send()`.
   */
  providesArgs?: Fields;
  /** How long each delivery attempt may take (server default 10 000). */
  timeoutMs?: number;
  /** Seconds to wait before each retry (server default when left out). */
  retrySchedule?: readonly number[];
  /** durian's config_form: options each listener sets, delivered with every request. */
  configForm?: readonly ConfigOption[];
  /**
   * The version of the hook's fields this code sends (see the README's "Versions"). Left out, it is
   * the version `sync()` answered with, and before any sync the server's latest.
   */
  version?: number;
  /** Replaces the hook's `preparePayload` (see there). */
  preparePayload?: PreparePayload;
}

/**
 * A named event type. Define one either way:
 *
 *     const signup = new Hook({ name: "signup", providesArgs: ["email"] });
 *
 *     class PersonHook extends Hook {
 *       name = "person";
 *       providesArgs = ["name", "address"];
 *     }
 *
 * Subclasses set instance fields (not static ones). Register the hook or its class with
 * `durian.hooks.register(...)`: that binds it to the client its `send` and `listener().save()` use.
 *
 * Fields may carry types (see `HookFieldDeclaration`): declared in the options, they type the
 * payload `send()` takes; a subclass passes them as its type argument
 * (`class MemberHook extends Hook<typeof MEMBER_FIELDS>`, with `MEMBER_FIELDS` declared `as const`).
 */
export class Hook<const Fields extends readonly HookFieldDeclaration[] = readonly HookFieldDeclaration[]> {
  name!: string;
  verboseName?: string;
  description?: string;
  providesArgs: Fields = [] as readonly HookFieldDeclaration[] as Fields;
  timeoutMs?: number;
  retrySchedule?: readonly number[];
  configForm?: readonly ConfigOption[];
  version?: number;
  readonly kind: HookKind = "custom";

  constructor(options?: HookOptions<Fields>) {
    if (options === undefined) return;
    this.name = options.name;
    this.verboseName = options.verboseName;
    this.description = options.description;
    this.providesArgs = options.providesArgs ?? this.providesArgs;
    this.timeoutMs = options.timeoutMs;
    this.retrySchedule = options.retrySchedule;
    this.configForm = options.configForm;
    this.version = options.version;
    if (options.preparePayload) this.preparePayload = options.preparePayload;
    validateHookDefinition(this);
  }

  /** The definition `sync()` PUTs; throws InvalidHookDefinition naming the bad field. */
  definition(): HookDefinition {
    return validateHookDefinition(this);
  }

  /**
   * durian's `prepare_payload`: every `send` passes its payload through this first, before the
   * payload is projected to providesArgs. Override it (or pass the `preparePayload` option) to
   * compute, rename or flatten fields — from a model instance, say. The default returns the payload
   * as it is. It may be async.
   */
  preparePayload(sender: string | null, payload: Payload): Payload | Promise<Payload> {
    return payload;
  }

  /**
   * Sends an event: the payload goes through `preparePayload`, then is projected to providesArgs
   * here, so fields the hook does not provide never leave the app, and checked against the field
   * types (InvalidPayload naming the path, as the server would answer 422). `sender` says who
   * caused it (durian's `sender`), or null.
   */
  async send(
    sender: string | null | undefined,
    payload: PayloadOf<Fields>,
    options: SendEventOptions = {},
  ): Promise<SendEventResult> {
    const durian = clientOf(this);
    const prepared = await this.preparePayload(sender ?? null, payload);
    if (prepared !== payload && !isPlainObject(prepared)) {
      throw new InvalidPayload(
        `Hook "${this.name}": preparePayload must return a plain object keyed by field, got ${describeValue(prepared)}`,
      );
    }
    const projected = projectPayload(this.name, prepared, fieldNames(this.providesArgs));
    const [problem] = validatorOf(this.providesArgs)(projected);
    if (problem) {
      throw new InvalidPayload(
        `Hook "${this.name}": payload field "${problem.path.join(".")}" ${problem.message}`,
      );
    }
    const version = this.version ?? durian.hooks.syncedVersion(this.name);
    const body = {
      payload: projected,
      ...(sender !== null && sender !== undefined && { sender }),
      ...(version !== undefined && { version }),
    };
    return durian.sendEvent(this.name, body, options);
  }

  /** Starts a listener on this hook: `hook.listener({ url }).match({ name: Startswith("J") }).save()`. */
  listener(options: ListenerOptions): ListenerBuilder {
    return new ListenerBuilder(this, options);
  }
}

// Compiled once per list of fields: sends of one hook share it.
const validators = new WeakMap<readonly HookFieldDeclaration[], ReturnType<typeof payloadValidatorFor>>();

function validatorOf(fields: readonly HookFieldDeclaration[]) {
  let validator = validators.get(fields);
  if (!validator) validators.set(fields, (validator = payloadValidatorFor(fields)));
  return validator;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  return `a ${typeof value}`;
}
