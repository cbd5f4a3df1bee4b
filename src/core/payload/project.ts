/**
 * A hook's payload holds only its `providesArgs`. Anything else the sender passes (durian's `secret`)
 * is dropped here, before it can be stored, logged or delivered.
 */

/** Only the provided fields, in `providesArgs` order; a provided field the sender left out stays absent. */
export function projectPayload<Value>(
  payload: Readonly<Record<string, Value>>,
  providesArgs: readonly string[],
): Record<string, Value> {
  const entries: [string, Value][] = [];
  for (const field of providesArgs) {
    const value = payload[field];
    if (Object.hasOwn(payload, field) && value !== undefined) entries.push([field, value]);
  }
  // fromEntries defines own properties, so a field named "__proto__" stays data, not a prototype.
  return Object.fromEntries(entries);
}

/** Fields of the payload the hook does not provide, in payload order (the REST API answers 422 naming them). */
export function unknownPayloadFields(
  payload: Readonly<Record<string, unknown>>,
  providesArgs: readonly string[],
): string[] {
  const provided = new Set(providesArgs);
  return Object.keys(payload).filter((field) => !provided.has(field));
}
