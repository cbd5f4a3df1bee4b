// The shared filter language as JSON (issue 3; validated on the server by the zod schema in
// src/core/filter, whose type is FilterJson). A filter is keyed by payload field; each value is a bare
// value (shorthand for `$is`), a condition object whose keys are all operators (ANDed), or a nested
// filter whose keys are all field names. Dotted keys ("customer.email") address nested fields.
// ConditionJson is what the SDK's matchers write: a condition object, `$not` holding another one.

import type { JsonValue } from "./api-types";

export const FILTER_OPERATORS = [
  "$any",
  "$is",
  "$startswith",
  "$endswith",
  "$contains",
  "$like",
  "$in",
  "$not",
  "$exists",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$before",
  "$after",
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface ConditionJson {
  $any?: true;
  $is?: JsonValue;
  $startswith?: string;
  $endswith?: string;
  $contains?: string;
  $like?: string;
  $in?: JsonValue[];
  $not?: ConditionJson;
  $exists?: boolean;
  $gt?: number;
  $gte?: number;
  $lt?: number;
  $lte?: number;
  $before?: string;
  $after?: string;
}

export function isFilterOperator(key: string): key is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(key);
}
