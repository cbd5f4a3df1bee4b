import { projectPayload as projectToProvidedArgs } from "../../../src/core/payload/project";
import type { JsonValue, Payload } from "./api-types";
import { InvalidPayload } from "./errors";
import { NotJsonError, isPlainObject, toJsonValue } from "./json-value";

/**
 * The payload as it may leave the app: only the hook's providesArgs (the core's projection rule, the
 * same the server applies), each converted to JSON. A provided field the sender left out is absent,
 * not null; anything else — a model's `secret` — is dropped before the request is built.
 */
export function projectPayload(hookName: string, payload: Payload, providesArgs: readonly string[]) {
  if (!isPlainObject(payload)) {
    throw new InvalidPayload(`Hook "${hookName}": the payload must be a plain object keyed by field`);
  }
  const projected: Record<string, JsonValue> = {};
  for (const [field, value] of Object.entries(projectToProvidedArgs(payload, providesArgs))) {
    try {
      projected[field] = toJsonValue(value);
    } catch (error) {
      if (!(error instanceof NotJsonError)) throw error;
      const where = error.path ? `${field}.${error.path}` : field;
      throw new InvalidPayload(`Hook "${hookName}": payload field "${where}" ${error.problem}`);
    }
  }
  return projected;
}
