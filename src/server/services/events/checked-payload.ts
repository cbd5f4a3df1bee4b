import type { PayloadValidator } from "@/core/hook-fields";
import { projectPayload, unknownPayloadFields } from "@/core/payload/project";
import { ValidationError } from "../errors";

/**
 * The payload projected to the hook's fields; unknown fields are refused, not dropped, so a sender
 * learns its mistake, and so are values that are not of their field's type (422 naming the path).
 */
export function checkedPayload(
  hook: { name: string; providesArgs: string[]; validatePayload: PayloadValidator },
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const unknown = unknownPayloadFields(payload, hook.providesArgs);
  if (unknown.length > 0) {
    const provided =
      hook.providesArgs.length > 0 ? `it provides ${hook.providesArgs.join(", ")}` : "it provides no fields";
    throw new ValidationError(
      unknown.map((field) => ({
        path: `payload.${field}`,
        message: `hook "${hook.name}" does not provide "${field}" (${provided})`,
      })),
    );
  }
  const problems = hook.validatePayload(payload);
  if (problems.length > 0) {
    throw new ValidationError(
      problems.map(({ path, message }) => ({ path: ["payload", ...path].join("."), message })),
    );
  }
  return projectPayload(payload, hook.providesArgs);
}
