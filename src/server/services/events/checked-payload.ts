import { projectPayload, unknownPayloadFields } from "@/core/payload/project";
import { ValidationError } from "../errors";

/** The payload projected to the hook's fields; unknown fields are refused, not dropped, so a sender learns its mistake. */
export function checkedPayload(
  hook: { name: string; providesArgs: string[] },
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
  return projectPayload(payload, hook.providesArgs);
}
