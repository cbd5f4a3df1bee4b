export {
  denormalizeHookField,
  fieldSchemaDepth,
  hookFields,
  storedHookFields,
  FIELD_TYPES,
  fieldSchemaSchema,
  isBareField,
  MAX_ENUM_VALUES,
  MAX_FIELD_SCHEMA_DEPTH,
  MAX_NESTED_PROPERTIES,
  normalizeHookField,
  type EnumValue,
  type FieldSchema,
  type FieldType,
  type FieldTypes,
  type HookField,
  type HookFieldInput,
} from "./field-spec";
export { describeFieldType, fieldTypeLabel } from "./describe-type";
export { hookPayloadSchema, JSON_SCHEMA_DIALECT, type HookPayloadSchema } from "./json-schema";
export { hookTypeScript, payloadTypeName } from "./typescript";
export { dateTimeMillis, isDateTime } from "./date-time";
export { compilePayloadValidator, type PayloadProblem, type PayloadValidator } from "./validate-payload";
export { EXAMPLE_DATE_TIME, examplePayload, exampleValue } from "./example";
export { type FieldChange, type FieldChangeKind, fieldChanges, isBreakingChange } from "./compatibility";
export {
  type ConfigOption,
  type ConfigProblem,
  type ConfigValue,
  type ListenerConfig,
  configFormSchema,
  configHeaderValue,
  configOptionSchema,
  configProblems,
  configValueProblem,
  effectiveConfig,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_OPTIONS,
  storedConfigForm,
} from "./config-form";
