import { serve } from "inngest/next";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "@/core/delivery";
import type { PrismaClient } from "@/generated/prisma/client";
import { createInngestClient } from "./client";
import {
  ATTEMPT_FUNCTION_ID,
  createDeliveryFunctions,
  FAN_OUT_FUNCTION_ID,
  RECOVERY_FUNCTION_ID,
  SELF_HEALING_FUNCTION_ID,
} from "./functions";
import { RETENTION_FUNCTION_ID } from "./prune-expired-data";
import { startInngestStub, type InngestStub } from "@/testing/inngest-stub";

// The contract with the Inngest server: what the SDK registers for our functions when the server
// asks (a PUT to the served endpoint), captured by a stub standing in for the Inngest API.

const SIGNING_KEY = `signkey-test-${"ab".repeat(32)}`;
const CONCURRENCY = 37;
const LISTENER_CONCURRENCY = 3;

let stub: InngestStub;
beforeAll(async () => {
  stub = await startInngestStub();
});
afterAll(async () => {
  await stub.close();
});

interface RegisteredFunction {
  id: string;
  name: string;
  triggers: { event?: string; expression?: string; cron?: string }[];
  concurrency?: { limit: number; key?: string }[];
  steps: Record<string, { runtime: { url: string } }>;
}

describe("registration with Inngest", () => {
  it("registers the fan-out, attempt, recovery, retention and self-healing functions with their triggers and concurrency", async () => {
    const client = createInngestClient({
      baseUrl: stub.url,
      isDev: false,
      signingKey: SIGNING_KEY,
      eventKey: "test-event-key",
    });
    const { all } = createDeliveryFunctions(client, {
      db: () => {
        throw new Error("registration must not touch the database");
      },
      attemptOptions: () => ({ allowlist: parseAllowlist("") }),
      projectConcurrency: CONCURRENCY,
      listenerConcurrency: LISTENER_CONCURRENCY,
    } satisfies { db: () => PrismaClient } & Record<string, unknown>);
    const handler = serve({ client, functions: [...all] });

    const response = await handler.PUT(
      new NextRequest("http://127.0.0.1:4999/api/inngest", { method: "PUT" }),
      undefined,
    );

    expect(response.status).toBe(200);
    const registrations = stub.requests.filter((request) => request.path.startsWith("/fn/register"));
    expect(registrations).toHaveLength(1);
    const registration = registrations[0]!;
    expect(registration.method).toBe("POST");
    // The server authenticates the app by its signing key (sent hashed, never as is).
    expect(String(registration.headers.authorization)).toMatch(/^Bearer signkey-test-[0-9a-f]{64}$/);
    expect(String(registration.headers.authorization)).not.toContain("ab".repeat(32));

    const payload = registration.body as { appName: string; url: string; functions: RegisteredFunction[] };
    expect(payload.appName).toBe("durian");
    expect(payload.url).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):4999\/api\/inngest/);
    const byId = new Map(payload.functions.map((fn) => [fn.id, fn]));

    const fanOut = byId.get(`durian-${FAN_OUT_FUNCTION_ID}`);
    expect(fanOut?.triggers).toEqual([{ event: "durian/event.accepted" }]);
    expect(fanOut?.concurrency).toBeUndefined();

    const attempt = byId.get(`durian-${ATTEMPT_FUNCTION_ID}`);
    expect(attempt?.triggers).toEqual([{ event: "durian/delivery.requested" }]);
    expect(attempt?.concurrency).toEqual([
      { key: "event.data.projectId", limit: CONCURRENCY },
      { key: "event.data.listenerId", limit: LISTENER_CONCURRENCY },
    ]);
    expect(Object.values(attempt!.steps)[0]!.runtime.url).toContain(`fnId=durian-${ATTEMPT_FUNCTION_ID}`);

    // The failure handler is a function of its own, triggered when an attempt run finally fails.
    const onFailure = byId.get(`durian-${ATTEMPT_FUNCTION_ID}-failure`);
    expect(onFailure?.triggers).toEqual([
      {
        event: "inngest/function.failed",
        expression: `event.data.function_id == 'durian-${ATTEMPT_FUNCTION_ID}'`,
      },
    ]);

    // The recovery sweep runs on a schedule, one sweep at a time.
    const recover = byId.get(`durian-${RECOVERY_FUNCTION_ID}`);
    expect(recover?.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(recover?.concurrency).toEqual([{ limit: 1 }]);
    expect(Object.values(recover!.steps)[0]!.runtime.url).toContain(`fnId=durian-${RECOVERY_FUNCTION_ID}`);

    // Retention runs every 10 minutes, one run at a time.
    const prune = byId.get(`durian-${RETENTION_FUNCTION_ID}`);
    expect(prune?.triggers).toEqual([{ cron: "*/10 * * * *" }]);
    expect(prune?.concurrency).toEqual([{ limit: 1 }]);

    // Self-healing listeners are pinged every minute, one sweep at a time.
    const heal = byId.get(`durian-${SELF_HEALING_FUNCTION_ID}`);
    expect(heal?.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(heal?.concurrency).toEqual([{ limit: 1 }]);

    expect(payload.functions).toHaveLength(6);
  });
});
