import { Inngest } from "inngest";

/** The Inngest app id: functions register as `durian-<function id>`. */
export const INNGEST_APP_ID = "durian";

export interface InngestClientOptions {
  /** Inngest's API and event URLs (a self-hosted server, or a test stub); from the environment by default. */
  baseUrl?: string;
  /** Dev Server mode; from `INNGEST_DEV` by default. */
  isDev?: boolean;
  eventKey?: string;
  signingKey?: string;
}

/**
 * The Inngest client. Mode, keys and URLs come from the standard variables (`INNGEST_DEV`,
 * `INNGEST_EVENT_KEY`, `INNGEST_SIGNING_KEY`, `INNGEST_BASE_URL`) unless given here.
 */
export function createInngestClient(options: InngestClientOptions = {}) {
  return new Inngest({ id: INNGEST_APP_ID, ...options });
}

export type DurianInngest = ReturnType<typeof createInngestClient>;
