import type { HookKind, Payload } from "./api-types";
import { fieldNames } from "./fields";
import { Hook, type HookOptions } from "./hook";
import { isPlainObject } from "./json-value";

type EventListener = (...args: unknown[]) => void;

/** What SignalHook needs of an emitter: Node's EventEmitter, or anything with `on` and `off`. */
export interface EventEmitterLike {
  on(event: string | symbol, listener: EventListener): unknown;
  off?(event: string | symbol, listener: EventListener): unknown;
  removeListener?(event: string | symbol, listener: EventListener): unknown;
}

export interface SignalHookOptions extends HookOptions {
  emitter: EventEmitterLike;
  event: string | symbol;
  /** Who sent the event: a fixed string, or computed from the emitted arguments. */
  sender?: string | ((...args: unknown[]) => string | null | undefined);
  /** Builds the payload from the emitted arguments, instead of the default mapping. */
  toPayload?: (...args: unknown[]) => Payload;
  /** Told about each send that failed (default: console.error); an emit never throws for it. */
  onError?: (error: unknown, args: unknown[]) => void;
}

/**
 * A hook bound to an EventEmitter event: every emit sends it. The emitted arguments become the
 * payload this way, unless `toPayload` says otherwise:
 * - one argument that is a plain object is the payload: `emit("signup", { email, name })`;
 * - otherwise the arguments fill providesArgs in order: `emit("signup", email, name)` with
 *   providesArgs `["email", "name"]` sends `{ email, name }`; arguments past the last provided
 *   field are dropped.
 * The payload is then projected to providesArgs like any other send. Sends of separate emits run
 * concurrently (the API may receive them in any order); `flush()` waits for them. The hook must be registered
 * with a client (`durian.hooks.register(signalHook)`) for its sends to go anywhere; before that,
 * each emit reports NotRegistered to `onError`.
 */
export class SignalHook extends Hook {
  override readonly kind: HookKind = "signal";
  private readonly emitter: EventEmitterLike;
  private readonly event: string | symbol;
  private readonly listenerFunction: EventListener;
  private readonly inFlight = new Set<Promise<unknown>>();
  private isBound = true;

  constructor(options: SignalHookOptions) {
    const { emitter, event, sender, toPayload, onError, ...hookOptions } = options;
    super(hookOptions);
    if (typeof emitter?.on !== "function") {
      throw new TypeError(`SignalHook "${this.name}": emitter must have an on(event, listener) method`);
    }
    this.emitter = emitter;
    this.event = event;
    const reportError =
      onError ??
      ((error: unknown) => console.error(`durian: SignalHook "${this.name}" could not send`, error));

    this.listenerFunction = (...args: unknown[]) => {
      const sending = this.sendEmitted(args, sender, toPayload).catch((error: unknown) =>
        reportError(error, args),
      );
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    };
    emitter.on(event, this.listenerFunction);
  }

  /** Stops sending on emits. Sends already started still complete. */
  unbind(): void {
    if (!this.isBound) return;
    const remove = this.emitter.off ?? this.emitter.removeListener;
    if (typeof remove !== "function") {
      throw new TypeError(`SignalHook "${this.name}": emitter has neither off() nor removeListener()`);
    }
    remove.call(this.emitter, this.event, this.listenerFunction);
    this.isBound = false;
  }

  get bound(): boolean {
    return this.isBound;
  }

  /** Resolves once every send started by an emit so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async sendEmitted(
    args: unknown[],
    sender: SignalHookOptions["sender"],
    toPayload: SignalHookOptions["toPayload"],
  ) {
    const payload = toPayload ? toPayload(...args) : this.payloadFromArguments(args);
    const senderName = typeof sender === "function" ? sender(...args) : sender;
    return this.send(senderName, payload);
  }

  private payloadFromArguments(args: unknown[]): Payload {
    const [first] = args;
    if (args.length === 1 && isPlainObject(first)) return first;
    const payload: Payload = {};
    fieldNames(this.providesArgs).forEach((field, index) => {
      if (index < args.length) payload[field] = args[index];
    });
    return payload;
  }
}
