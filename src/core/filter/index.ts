export { compileFilter, matchesFilter, type PayloadPredicate } from "./compile";
export {
  encodeExactKey,
  encodePrefixKey,
  eventIndexKeys,
  indexKeyAdmits,
  listenerIndexKey,
  MAX_INDEXED_EXACT_KEY_LENGTH,
  MAX_INDEXED_PREFIX_LENGTH,
  type EventIndexKeys,
  type ListenerIndexKey,
} from "./index-key";
export { jsonValueSchema, type JsonObject, type JsonPrimitive, type JsonValue } from "./json";
export { MAX_CACHED_LIKE_PATTERNS, MAX_LIKE_PATTERN_LENGTH } from "./like-pattern";
export { FILTER_OPERATORS, OPERATORS, type OperandKind, type OperatorName } from "./operators";
export { operatorsForSchema } from "./typed-fields";
export {
  filterSchema,
  filterSchemaForHook,
  InvalidFilterError,
  MAX_FILTER_DEPTH,
  parseFilter,
  validateFilter,
  type Condition,
  type FieldCondition,
  type Filter,
  type FilterError,
  type FilterValidationResult,
  type HookFieldsLike,
} from "./schema";
