// The Durian SDK: what apps import. Web APIs only (fetch, Web Crypto), so it runs on Node and edge
// runtimes alike; SignalHook and ModelHook take an emitter and a Prisma client by duck type.

export {
  Durian,
  MAX_WAIT_SECONDS,
  type DurianOptions,
  type CreateListenerInput,
  type UpdateListenerInput,
} from "./client";
export type { FetchLike } from "./http";
export { HookRegistry, type HookClass } from "./registry";
export { Hook, type HookOptions, type PreparePayload } from "./hook";
export type {
  EnumValue,
  FieldSchemaDeclaration,
  HookFieldDeclaration,
  PayloadOf,
  TypeOfSchema,
} from "./fields";
export { ListenerBuilder, type ListenerOptions } from "./listener-builder";
export { SignalHook, type SignalHookOptions, type EventEmitterLike } from "./signal-hook";
export {
  ModelHook,
  modelHook,
  type ModelHookOptions,
  type ModelHookExtensionOptions,
  type PrismaClientLike,
  type PrismaExtension,
} from "./model-hook";
export {
  Matcher,
  Any,
  Is,
  Startswith,
  Endswith,
  Contains,
  Like,
  In,
  Not,
  Exists,
  Gt,
  Gte,
  Lt,
  Lte,
  Before,
  After,
} from "./matchers";
export { serializeFilter, type FilterInput } from "./filter";
export { FILTER_OPERATORS, type ConditionJson, type FilterOperator } from "./filter-json";
export { HOOK_NAME_PATTERN } from "./hook-definition";
export {
  DurianError,
  DurianApiError,
  DurianConnectionError,
  AlreadyRegistered,
  NotRegistered,
  InvalidHookDefinition,
  InvalidFilter,
  InvalidPayload,
  ModelHookSendError,
  type FieldError,
} from "./errors";
export * from "./verify";
export type * from "./api-types";
