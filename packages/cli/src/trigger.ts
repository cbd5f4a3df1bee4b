import { Durian } from "@durian/sdk";
import type { Connection } from "./api";
import type { Output } from "./output";

export interface TriggerOptions {
  hook: string;
  payload: Record<string, unknown>;
  sender?: string;
  /** Seconds to wait for each delivery's first outcome (the API's `?wait=`). */
  wait?: number;
}

/** `durian trigger`: sends one event through the SDK and prints what became of it. */
export async function trigger(connection: Connection, options: TriggerOptions, out: Output): Promise<void> {
  const durian = new Durian({ url: connection.url, apiKey: connection.apiKey });
  const result = await durian.sendEvent(
    options.hook,
    { payload: options.payload, ...(options.sender !== undefined && { sender: options.sender }) },
    { wait: options.wait },
  );
  const matched = result.matched === undefined ? "" : ` matched ${result.matched} listener(s)`;
  out.line(`event ${result.eventId}${matched}`);
}
