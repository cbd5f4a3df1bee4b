export * from "./common";
export * from "./hooks";
export * from "./listeners";
export * from "./events";
export * from "./api-keys";
export * from "./portal";
export * from "./relay";
