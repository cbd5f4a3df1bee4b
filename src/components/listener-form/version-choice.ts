import type { HookField } from "@/core/hook-fields";
import { emptyRows, filterToRows, rowsToFilter } from "./filter-rows";
import type { ListenerFormValues } from "./form-schema";

/** A version of the hook's fields a new listener may receive. */
export interface HookVersionChoice {
  version: number;
  fields: HookField[];
}

/** How the form's version select names a version. */
export function versionLabel(version: number, latest: number): string {
  return version === latest ? `Version ${version} (latest)` : `Version ${version}`;
}

type FilterValues = Pick<ListenerFormValues, "filterMode" | "rows" | "filterJson">;

/**
 * The filter part of the form once another version's fields are chosen. Conditions carry over to the
 * rows of the fields both versions have; a filter those rows cannot show (a condition on a field the
 * chosen version lacks, or a value not of its type there) is shown as JSON, where the chosen fields'
 * rules name what does not fit instead of the condition being dropped unseen. JSON stays as typed.
 */
export function filterForFields(
  values: FilterValues,
  from: readonly HookField[],
  to: readonly HookField[],
): FilterValues {
  if (values.filterMode === "json") {
    return { filterMode: "json", rows: emptyRows(to), filterJson: values.filterJson };
  }
  const filter = rowsToFilter(values.rows, from);
  const rows = filterToRows(filter, to);
  if (rows) return { filterMode: "fields", rows, filterJson: "" };
  return { filterMode: "json", rows: emptyRows(to), filterJson: JSON.stringify(filter, null, 2) };
}
