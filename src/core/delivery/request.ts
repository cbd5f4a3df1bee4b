import { configHeaderValue, type ListenerConfig } from "../hook-fields/config-form";
import { signatureHeaderOnNode } from "../signing/sign-on-node";
import { type CustomHeaderProblem, usableCustomHeaders } from "./custom-headers";
import { USER_AGENT } from "./user-agent";

export interface DeliveryRequestInput {
  /** Becomes `webhook-id`; stable across every attempt of the delivery. */
  deliveryId: string;
  eventId: string;
  hookName: string;
  /** The version of the hook's fields the event was sent for; absent for Durian's pings, which have none. */
  hookVersion?: number;
  /** The listener's settings of the hook's configForm options; absent when the hook offers none. */
  config?: ListenerConfig;
  /** The payload already projected to the hook's providesArgs. */
  payload: Record<string, unknown>;
  /** When the event was accepted: the envelope's `timestamp`, so the body is identical on every attempt. */
  eventCreatedAt: Date;
  /** The listener's envelope flag. */
  envelope: boolean;
  /** The listener's custom headers, as stored. */
  customHeaders?: unknown;
  /** The secrets that sign at `attemptAt` (see `signingSecrets`). */
  secrets: readonly string[];
  /** This attempt's time; becomes `webhook-timestamp`. */
  attemptAt?: Date;
  userAgent?: string;
}

export interface DeliveryRequest {
  body: string;
  /** Exactly what is sent. */
  headers: Record<string, string>;
  /** What may be stored in the attempt log (see `recordableHeaders`). */
  recordedHeaders: Record<string, string>;
  /** Custom headers that were not sent, with the reason. */
  droppedHeaders: CustomHeaderProblem[];
}

export function deliveryBody(
  input: Pick<
    DeliveryRequestInput,
    "payload" | "envelope" | "hookName" | "hookVersion" | "config" | "eventCreatedAt"
  >,
): string {
  if (!input.envelope) return JSON.stringify(input.payload);
  return JSON.stringify({
    type: input.hookName,
    ...(input.hookVersion !== undefined && { version: input.hookVersion }),
    timestamp: input.eventCreatedAt.toISOString(),
    data: input.payload,
    ...(input.config !== undefined && { config: input.config }),
  });
}

export async function buildDeliveryRequest(input: DeliveryRequestInput): Promise<DeliveryRequest> {
  const body = deliveryBody(input);
  const timestamp = Math.floor((input.attemptAt ?? new Date()).getTime() / 1000);
  const custom = usableCustomHeaders(input.customHeaders);
  const headers: Record<string, string> = {
    ...custom.headers,
    "content-type": "application/json",
    "user-agent": input.userAgent ?? USER_AGENT,
    "webhook-id": input.deliveryId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureHeaderOnNode(input.secrets, { msgId: input.deliveryId, timestamp, body }),
    "durian-hook": input.hookName,
    "durian-event-id": input.eventId,
    ...(input.hookVersion !== undefined && { "durian-hook-version": String(input.hookVersion) }),
    ...(input.config !== undefined && { "durian-listener-config": configHeaderValue(input.config) }),
  };
  return { body, headers, recordedHeaders: recordableHeaders(headers), droppedHeaders: custom.dropped };
}

/** Custom header names that usually carry credentials; their values are never written to attempt logs. */
const CREDENTIAL_HEADER = /authorization|cookie|token|secret|passw|api[-_]?key|credential|session/i;
export const REDACTED_HEADER_VALUE = "[redacted]";

/**
 * The request headers as they may be recorded: the signing secret never appears in a request (only
 * signatures, which are safe to show), and custom headers that look like credentials are redacted.
 */
export function recordableHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const recorded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const ours = name.toLowerCase().startsWith("webhook-") || name.toLowerCase().startsWith("durian-");
    recorded[name] = !ours && CREDENTIAL_HEADER.test(name) ? REDACTED_HEADER_VALUE : value;
  }
  return recorded;
}
