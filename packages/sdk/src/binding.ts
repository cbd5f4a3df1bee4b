// Which Durian client a hook sends through. A registered instance is bound to its registry's client;
// a registered class is bound too, so `new PersonHook().send(...)` works as durian's
// `PersonHook().send(...)` did.

import type { Durian } from "./client";
import { DurianError, NotRegistered } from "./errors";
import type { Hook } from "./hook";

const clientOfInstance = new WeakMap<Hook, Durian>();
const clientsOfClass = new WeakMap<object, Set<Durian>>();

export function bindInstance(hook: Hook, durian: Durian): void {
  clientOfInstance.set(hook, durian);
}

export function unbindInstance(hook: Hook): void {
  clientOfInstance.delete(hook);
}

export function instanceClient(hook: Hook): Durian | undefined {
  return clientOfInstance.get(hook);
}

export function bindClass(hookClass: object, durian: Durian): void {
  const clients = clientsOfClass.get(hookClass) ?? new Set<Durian>();
  clients.add(durian);
  clientsOfClass.set(hookClass, clients);
}

export function unbindClass(hookClass: object, durian: Durian): void {
  clientsOfClass.get(hookClass)?.delete(durian);
}

/** The client a hook sends and saves listeners through; throws when it was never registered. */
export function clientOf(hook: Hook): Durian {
  const bound = clientOfInstance.get(hook);
  if (bound) return bound;
  const clients = [...(clientsOfClass.get(hook.constructor) ?? [])];
  if (clients.length === 1 && clients[0]) return clients[0];
  if (clients.length > 1) {
    throw new DurianError(
      `Hook "${hook.name}": its class is registered with ${clients.length} Durian clients; ` +
        `send through the registered instance, durian.hooks.get("${hook.name}")`,
    );
  }
  throw new NotRegistered(hook.name, "register it first with durian.hooks.register(...)");
}
