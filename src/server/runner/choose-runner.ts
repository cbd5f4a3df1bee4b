import type { Env } from "@/server/env";

export type RunnerSettings = Pick<
  Env,
  "DURIAN_RUNNER" | "INNGEST_EVENT_KEY" | "INNGEST_SIGNING_KEY" | "INNGEST_DEV"
>;

export type RunnerChoice =
  { kind: "embedded"; why: string } | { kind: "inngest"; mode: "dev" | "cloud"; why: string };

/** A runner was asked for (or implied) without what it needs; the message names the variables. */
export class RunnerConfigurationError extends Error {
  override name = "RunnerConfigurationError";
}

/** `INNGEST_DEV` as the Inngest SDK reads it: a URL or a true-ish value means the Dev Server. */
export function inngestDevMode(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !["0", "false", "no", "off", ""].includes(value.trim().toLowerCase());
}

/**
 * Which runner delivers webhooks: `DURIAN_RUNNER` when set; otherwise Inngest when any Inngest setting
 * is present, else the embedded runner. Inngest without what it needs (both keys for Inngest Cloud or
 * a self-hosted server, or `INNGEST_DEV` for the Dev Server) is an error, never a silent fallback.
 */
export function chooseRunner(settings: RunnerSettings): RunnerChoice {
  const inngestSettings = (["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_DEV"] as const).filter(
    (name) => settings[name] !== undefined,
  );
  if (settings.DURIAN_RUNNER === "embedded") {
    const ignored = inngestSettings.length > 0 ? ` (${inngestSettings.join(", ")} ignored)` : "";
    return { kind: "embedded", why: `DURIAN_RUNNER=embedded${ignored}` };
  }
  if (settings.DURIAN_RUNNER === undefined && inngestSettings.length === 0) {
    return { kind: "embedded", why: "no Inngest configuration (the default)" };
  }
  const asked =
    settings.DURIAN_RUNNER === "inngest"
      ? "DURIAN_RUNNER=inngest"
      : `Inngest configuration is present (${inngestSettings.join(", ")})`;
  if (inngestDevMode(settings.INNGEST_DEV)) {
    return {
      kind: "inngest",
      mode: "dev",
      why: `${asked}, Dev Server mode (INNGEST_DEV=${settings.INNGEST_DEV})`,
    };
  }
  const missing = (["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"] as const).filter((name) => !settings[name]);
  if (missing.length > 0) {
    throw new RunnerConfigurationError(
      `${asked}, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set. ` +
        "Inngest Cloud and self-hosted Inngest need both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY; " +
        "the Inngest Dev Server needs INNGEST_DEV=1. To deliver from this process without Inngest, " +
        "set DURIAN_RUNNER=embedded.",
    );
  }
  return { kind: "inngest", mode: "cloud", why: `${asked}, with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY` };
}
