import { closeDb } from "@/server/db/client";
import { env } from "@/server/env";
import { endRelayStreams } from "@/server/rest/relay-stream";
import { getRunner } from "@/server/runner";
import { stopTracing } from "@/server/telemetry/tracing-settings";

/**
 * What the server entry (scripts/server.mjs) calls when it stops, in this order: `stopRunner` while
 * the last HTTP requests finish, then `closeDatabase`.
 *
 * Registered on globalThis by instrumentation, rather than imported by the server entry: the entry is
 * plain Node outside Next's bundle, and importing these modules there would load a second copy of
 * them (and of Prisma). The copies inside the bundle are the ones that opened the runner and the
 * database, so they are the ones that stop and close them.
 */
export interface ServerShutdownHooks {
  /** DURIAN_SHUTDOWN_TIMEOUT_MS, validated. */
  readonly timeoutMs: number;
  stopRunner(options: { deadlineMs: number }): Promise<void>;
  closeDatabase(): Promise<void>;
}

const holder = globalThis as typeof globalThis & { __durianShutdown?: ServerShutdownHooks };

export function registerShutdownHooks(): void {
  holder.__durianShutdown = {
    timeoutMs: env().DURIAN_SHUTDOWN_TIMEOUT_MS,
    stopRunner: async (options) => {
      // Relay streams never finish on their own: they end now, and hand back what they handed out.
      await Promise.all([getRunner().stop(options), endRelayStreams()]);
      // The last attempts' spans leave before the process does.
      await stopTracing().catch((error: unknown) =>
        console.error("durian: exporting the last spans failed", error),
      );
    },
    closeDatabase: () => closeDb({ final: true }),
  };
}
