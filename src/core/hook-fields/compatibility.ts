import type { EnumValue, FieldSchema, HookField } from "./field-spec";

/**
 * Whether a change to a hook's fields needs a new version. A hook's fields are a contract both ways:
 * senders' events must still be accepted, and receivers must still understand what they get. So a
 * change is additive only when it adds optional fields (or optional nested properties) or rewords
 * descriptions; anything else that changes which values a field holds is breaking, in whichever
 * direction it goes:
 *
 * - removing a field or a nested property (senders are refused, receivers miss it);
 * - changing a type, a format, an enum (narrowing refuses senders, widening surprises receivers that
 *   handle each value), or a bound (minLength, maxLength, minimum, maximum);
 * - making a field required, or adding a required one (existing senders do not send it), and making a
 *   required field optional (receivers relied on it).
 *
 * Field order is not part of the contract.
 */

export type FieldChangeKind = "added" | "removed" | "changed";

export interface FieldChange {
  /** The field's name, dotted into nested properties (`address.zip`), `[]` for an array's items. */
  path: string;
  kind: FieldChangeKind;
  /** What changed, for people: `type: string → number`. */
  detail: string;
  breaking: boolean;
}

/** Every difference between two definitions of a hook's fields, in the order of `after` then the removed ones. */
export function fieldChanges(before: readonly HookField[], after: readonly HookField[]): FieldChange[] {
  const changes: FieldChange[] = [];
  const old = new Map(before.map((field) => [field.name, field]));
  for (const field of after) {
    const previous = old.get(field.name);
    if (!previous) {
      changes.push(added(field.name, field.required));
      continue;
    }
    requiredChange(field.name, previous.required, field.required, changes);
    if ((previous.description ?? "") !== (field.description ?? ""))
      changes.push({ path: field.name, kind: "changed", detail: "description reworded", breaking: false });
    schemaChanges(field.name, previous.schema, field.schema, changes);
  }
  const kept = new Set(after.map((field) => field.name));
  for (const field of before)
    if (!kept.has(field.name))
      changes.push({ path: field.name, kind: "removed", detail: "removed", breaking: true });
  return changes;
}

/** Whether going from `before` to `after` needs a new version (see the rules above). */
export function isBreakingChange(before: readonly HookField[], after: readonly HookField[]): boolean {
  return fieldChanges(before, after).some((change) => change.breaking);
}

function added(path: string, required: boolean): FieldChange {
  return required
    ? { path, kind: "added", detail: "added, required", breaking: true }
    : { path, kind: "added", detail: "added, optional", breaking: false };
}

function requiredChange(path: string, before: boolean, after: boolean, changes: FieldChange[]): void {
  if (before === after) return;
  changes.push({
    path,
    kind: "changed",
    detail: after ? "optional → required" : "required → optional",
    breaking: true,
  });
}

const COMPARED_KEYWORDS = ["type", "format", "minLength", "maxLength", "minimum", "maximum"] as const;

function schemaChanges(path: string, before: FieldSchema, after: FieldSchema, changes: FieldChange[]): void {
  for (const keyword of COMPARED_KEYWORDS) {
    if (before[keyword] === after[keyword]) continue;
    changes.push({
      path,
      kind: "changed",
      detail: `${keyword}: ${shown(before[keyword])} → ${shown(after[keyword])}`,
      breaking: true,
    });
    // Another type: what was nested in the old one is not comparable.
    if (keyword === "type") return;
  }
  enumChange(path, before.enum, after.enum, changes);
  if (before.description !== after.description && (before.description || after.description))
    changes.push({ path, kind: "changed", detail: "description reworded", breaking: false });
  if (before.type === "object") propertyChanges(path, before, after, changes);
  if (before.type === "array") schemaChanges(`${path}[]`, before.items ?? {}, after.items ?? {}, changes);
}

function propertyChanges(
  path: string,
  before: FieldSchema,
  after: FieldSchema,
  changes: FieldChange[],
): void {
  const oldProperties = before.properties ?? {};
  const newProperties = after.properties ?? {};
  const wasRequired = new Set(before.required ?? []);
  const isRequired = new Set(after.required ?? []);
  for (const [name, schema] of Object.entries(newProperties)) {
    const nested = `${path}.${name}`;
    if (!Object.hasOwn(oldProperties, name)) {
      changes.push(added(nested, isRequired.has(name)));
      continue;
    }
    requiredChange(nested, wasRequired.has(name), isRequired.has(name), changes);
    schemaChanges(nested, oldProperties[name]!, schema, changes);
  }
  for (const name of Object.keys(oldProperties))
    if (!Object.hasOwn(newProperties, name))
      changes.push({ path: `${path}.${name}`, kind: "removed", detail: "removed", breaking: true });
}

function enumChange(
  path: string,
  before: readonly EnumValue[] | undefined,
  after: readonly EnumValue[] | undefined,
  changes: FieldChange[],
): void {
  if (!before && !after) return;
  if (!before || !after) {
    changes.push({
      path,
      kind: "changed",
      detail: after ? `limited to ${shown(after)}` : "no longer limited to listed values",
      breaking: true,
    });
    return;
  }
  const removed = before.filter((value) => !after.includes(value));
  const addedValues = after.filter((value) => !before.includes(value));
  if (removed.length === 0 && addedValues.length === 0) return;
  const parts = [
    ...(removed.length > 0 ? [`without ${shown(removed)}`] : []),
    ...(addedValues.length > 0 ? [`with ${shown(addedValues)}`] : []),
  ];
  changes.push({ path, kind: "changed", detail: `enum ${parts.join(", ")}`, breaking: true });
}

function shown(value: unknown): string {
  if (value === undefined) return "none";
  if (Array.isArray(value)) return value.map((item) => JSON.stringify(item)).join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}
