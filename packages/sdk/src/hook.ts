import type { HookDefinition, HookKind, Payload, SendEventOptions, SendEventResult } from "./api-types";
import { clientOf } from "./binding";
import { validateHookDefinition } from "./hook-definition";
import { ListenerBuilder, type ListenerOptions } from "./listener-builder";
import { projectPayload } from "./project";

export interface HookOptions {
  name: string;
  verboseName?: string;
  description?: string;
  /** The payload fields listeners may see; nothing else leaves the app. */
  providesArgs?: readonly string[];
  /** How long each delivery attempt may take (server default 10 000). */
  timeoutMs?: number;
  /** Seconds to wait before each retry (server default when left out). */
  retrySchedule?: readonly number[];
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
 */
export class Hook {
  name!: string;
  verboseName?: string;
  description?: string;
  providesArgs: readonly string[] = [];
  timeoutMs?: number;
  retrySchedule?: readonly number[];
  readonly kind: HookKind = "custom";

  constructor(options?: HookOptions) {
    if (options === undefined) return;
    this.name = options.name;
    this.verboseName = options.verboseName;
    this.description = options.description;
    this.providesArgs = options.providesArgs ?? [];
    this.timeoutMs = options.timeoutMs;
    this.retrySchedule = options.retrySchedule;
    validateHookDefinition(this);
  }

  /** The definition `sync()` PUTs; throws InvalidHookDefinition naming the bad field. */
  definition(): HookDefinition {
    return validateHookDefinition(this);
  }

  /**
   * Sends an event: the payload is projected to providesArgs here, so fields the hook does not
   * provide never leave the app. `sender` says who caused it (durian's `sender`), or null.
   */
  async send(
    sender: string | null | undefined,
    payload: Payload,
    options: SendEventOptions = {},
  ): Promise<SendEventResult> {
    const durian = clientOf(this);
    const projected = projectPayload(this.name, payload, this.providesArgs);
    const body =
      sender === null || sender === undefined ? { payload: projected } : { payload: projected, sender };
    return durian.sendEvent(this.name, body, options);
  }

  /** Starts a listener on this hook: `hook.listener({ url }).match({ name: Startswith("J") }).save()`. */
  listener(options: ListenerOptions): ListenerBuilder {
    return new ListenerBuilder(this, options);
  }
}
