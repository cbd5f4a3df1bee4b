export { createInngestClient, INNGEST_APP_ID, type DurianInngest, type InngestClientOptions } from "./client";
export {
  eventAccepted,
  deliveryRequested,
  EVENT_ACCEPTED,
  DELIVERY_REQUESTED,
  type EventAcceptedData,
  type DeliveryRequestedData,
} from "./events";
export {
  createDeliveryFunctions,
  FAN_OUT_FUNCTION_ID,
  ATTEMPT_FUNCTION_ID,
  FAN_OUT_PAGE_SIZE,
  MAX_ATTEMPT_ROUNDS,
  type DeliveryFunctionDeps,
} from "./functions";
export { InngestRunner } from "./runner";
export { inngestApp, type InngestApp } from "./app";
