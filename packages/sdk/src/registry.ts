import type { PutHookResult } from "./api-types";
import { bindClass, bindInstance, instanceClient, unbindClass, unbindInstance } from "./binding";
import type { Durian } from "./client";
import { AlreadyRegistered, DurianError, NotRegistered } from "./errors";
import { Hook } from "./hook";

/** A Hook subclass whose constructor needs no arguments (its fields say what it is). */
export type HookClass<H extends Hook = Hook> = new () => H;

interface Registration {
  hook: Hook;
  hookClass: HookClass | undefined;
}

/** durian's hook registry, one per client: register definitions, then `sync()` them to the server. */
export class HookRegistry implements Iterable<Hook> {
  private readonly registrations = new Map<string, Registration>();
  /** The version each hook's last sync answered with, by name: its events carry it (see `Hook.version`). */
  private readonly syncedVersions = new Map<string, number>();

  constructor(private readonly durian: Durian) {}

  /**
   * Registers a hook instance, or a Hook subclass (instantiated here). Returns the registered
   * instance. A name already in the registry throws AlreadyRegistered.
   */
  register<H extends Hook>(hookOrClass: H | HookClass<H>): H {
    const hookClass = typeof hookOrClass === "function" ? hookOrClass : undefined;
    const hook = hookClass ? instantiate(hookClass) : hookOrClass;
    if (!(hook instanceof Hook)) {
      throw new DurianError("register() takes a Hook instance or a subclass of Hook");
    }
    const definition = hook.definition();
    if (this.registrations.has(definition.name)) throw new AlreadyRegistered(definition.name);
    const otherClient = instanceClient(hook);
    if (otherClient && otherClient !== this.durian) {
      throw new AlreadyRegistered(definition.name, "with another Durian client");
    }
    this.registrations.set(definition.name, { hook, hookClass });
    bindInstance(hook, this.durian);
    if (hookClass) bindClass(hookClass, this.durian);
    return hook;
  }

  /** Removes a hook by name, instance or class; one that is not registered throws NotRegistered. */
  unregister(hook: string | Hook | HookClass): void {
    const name = this.nameOf(hook);
    const registration = name === undefined ? undefined : this.registrations.get(name);
    if (name === undefined || !registration) throw new NotRegistered(describe(hook));
    this.registrations.delete(name);
    this.syncedVersions.delete(name);
    unbindInstance(registration.hook);
    if (registration.hookClass) unbindClass(registration.hookClass, this.durian);
  }

  /**
   * Unregisters every hook. A registered class stays bound to this client until then, so call it
   * before dropping a client that registered classes (in tests, for instance).
   */
  clear(): void {
    for (const name of [...this.registrations.keys()]) this.unregister(name);
  }

  /** The version the hook's last `sync()` answered with; undefined before one. */
  syncedVersion(name: string): number | undefined {
    return this.syncedVersions.get(name);
  }

  /** The registered instance by name or class, if any. */
  get<H extends Hook>(hook: string | HookClass<H>): H | undefined {
    const name = this.nameOf(hook);
    return name === undefined ? undefined : (this.registrations.get(name)?.hook as H | undefined);
  }

  has(hook: string | Hook | HookClass): boolean {
    const name = this.nameOf(hook);
    return name !== undefined && this.registrations.has(name);
  }

  get size(): number {
    return this.registrations.size;
  }

  [Symbol.iterator](): Iterator<Hook> {
    return [...this.registrations.values()].map((registration) => registration.hook)[Symbol.iterator]();
  }

  /**
   * PUTs every registered definition, one after the other in registration order (idempotent, so it
   * can run at every start), and remembers the version each answered with: the hook's events carry it
   * unless the hook declares its own `version`. Stops at the first error, which names the hook's route.
   */
  async sync(): Promise<PutHookResult[]> {
    const results: PutHookResult[] = [];
    for (const { hook } of this.registrations.values()) {
      const result = await this.durian.putHook(hook.definition());
      // Its events name the version of the definition this app synced, so a later breaking change
      // made elsewhere does not change what this app's events mean.
      this.syncedVersions.set(result.hook.name, result.hook.version);
      results.push(result);
    }
    return results;
  }

  private nameOf(hook: string | Hook | HookClass): string | undefined {
    if (typeof hook === "string") return hook;
    if (hook instanceof Hook) {
      const registered = this.registrations.get(hook.name);
      return registered?.hook === hook ? hook.name : undefined;
    }
    for (const [name, registration] of this.registrations) {
      if (registration.hookClass === hook) return name;
    }
    return undefined;
  }
}

function instantiate<H extends Hook>(hookClass: HookClass<H>): H {
  if (!(hookClass.prototype instanceof Hook) && (hookClass as unknown) !== Hook) {
    throw new DurianError(
      `register() takes a Hook instance or a subclass of Hook, got ${hookClass.name || "a function"}`,
    );
  }
  return new hookClass();
}

/** The hook name to report; a class is asked by instantiating it (its constructor takes no arguments). */
function describe(hook: string | Hook | HookClass): string {
  if (typeof hook === "string") return hook;
  if (hook instanceof Hook) return hook.name;
  try {
    return String(new hook().name);
  } catch {
    return hook.name;
  }
}
