import { parseAllowlist } from "@/core/delivery";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { createInngestClient, type DurianInngest } from "./client";
import { createDeliveryFunctions } from "./functions";

export interface InngestApp {
  client: DurianInngest;
  functions: ReturnType<typeof createDeliveryFunctions>;
}

const holder = globalThis as typeof globalThis & { __durianInngestApp?: InngestApp };

/**
 * The process's Inngest client and functions, configured from the environment on first use (never at
 * import, so `next build` reads no settings). The route at /api/inngest serves these functions and the
 * Inngest runner sends events with this client.
 */
export function inngestApp(): InngestApp {
  holder.__durianInngestApp ??= createInngestApp();
  return holder.__durianInngestApp;
}

function createInngestApp(): InngestApp {
  const settings = env();
  const client = createInngestClient();
  // One allowlist object for the process: connection pools are kept per allowlist.
  const allowlist = parseAllowlist(settings.DURIAN_ALLOWED_HOSTS);
  const functions = createDeliveryFunctions(client, {
    db: getDb,
    attemptOptions: () => ({ allowlist, disableAfterFailures: settings.DURIAN_DISABLE_AFTER_FAILURES }),
    projectConcurrency: settings.DURIAN_RUNNER_PROJECT_CONCURRENCY,
    listenerConcurrency: settings.DURIAN_RUNNER_LISTENER_CONCURRENCY,
    retentionDays: settings.DURIAN_RETENTION_DAYS,
    failingAfterFailures: settings.DURIAN_FAILING_AFTER_FAILURES,
  });
  return { client, functions };
}
