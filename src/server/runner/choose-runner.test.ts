import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chooseRunner, inngestDevMode, RunnerConfigurationError, type RunnerSettings } from "./choose-runner";
import { spawnRunnerProcess } from "@/testing/runner";

const none: RunnerSettings = {
  DURIAN_RUNNER: undefined,
  INNGEST_EVENT_KEY: undefined,
  INNGEST_SIGNING_KEY: undefined,
  INNGEST_DEV: undefined,
};
const keys = { INNGEST_EVENT_KEY: "event-key", INNGEST_SIGNING_KEY: "signkey-prod-00" };

function refusal(settings: Partial<RunnerSettings>): string {
  try {
    chooseRunner({ ...none, ...settings });
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerConfigurationError);
    return (error as Error).message;
  }
  throw new Error("expected the settings to be refused");
}

describe("chooseRunner", () => {
  it("runs the embedded runner when nothing about Inngest is configured", () => {
    expect(chooseRunner(none)).toMatchObject({ kind: "embedded" });
  });

  it("runs Inngest when its configuration is present, in the mode it names", () => {
    expect(chooseRunner({ ...none, ...keys })).toMatchObject({ kind: "inngest", mode: "cloud" });
    expect(chooseRunner({ ...none, INNGEST_DEV: "1" })).toMatchObject({ kind: "inngest", mode: "dev" });
    expect(chooseRunner({ ...none, INNGEST_DEV: "http://127.0.0.1:8288" })).toMatchObject({
      kind: "inngest",
      mode: "dev",
    });
    expect(chooseRunner({ ...none, DURIAN_RUNNER: "inngest", ...keys })).toMatchObject({
      kind: "inngest",
      mode: "cloud",
    });
  });

  it("runs the embedded runner when asked, whatever Inngest settings are around", () => {
    const choice = chooseRunner({ ...none, DURIAN_RUNNER: "embedded", ...keys });
    expect(choice.kind).toBe("embedded");
    expect(choice.why).toContain("INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY ignored");
  });

  it("refuses Inngest without the keys it needs, naming them, instead of falling back", () => {
    expect(refusal({ DURIAN_RUNNER: "inngest" })).toMatch(
      /DURIAN_RUNNER=inngest, but INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY are not set.*INNGEST_DEV=1.*DURIAN_RUNNER=embedded/,
    );
    expect(refusal({ INNGEST_EVENT_KEY: "event-key" })).toMatch(
      /Inngest configuration is present \(INNGEST_EVENT_KEY\), but INNGEST_SIGNING_KEY is not set/,
    );
    // INNGEST_DEV=0 asks for Inngest Cloud (or a self-hosted server), which needs both keys.
    expect(refusal({ INNGEST_DEV: "0" })).toMatch(/INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY are not set/);
  });

  it("reads INNGEST_DEV as the Inngest SDK does", () => {
    expect(["1", "true", "http://127.0.0.1:8288"].map(inngestDevMode)).toEqual([true, true, true]);
    expect(["0", "false", undefined].map(inngestDevMode)).toEqual([false, false, false]);
  });
});

describe("starting the server's runner", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "durian-runner-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("stops the process with a message naming the missing variables when Inngest lacks its keys", async () => {
    const child = spawnRunnerProcess({
      DURIAN_DATA_DIR: dataDir,
      DURIAN_RUNNER: "inngest",
      INNGEST_EVENT_KEY: "event-key",
    });

    const { code, output } = await child.exited;

    expect(code).toBe(1);
    expect(output).toContain(
      "durian: cannot start the delivery runner: DURIAN_RUNNER=inngest, but INNGEST_SIGNING_KEY is not set",
    );
  });

  it("logs which runner runs", async () => {
    const child = spawnRunnerProcess({ DURIAN_DATA_DIR: dataDir, INNGEST_DEV: "1" });
    try {
      const output = await child.ready;
      expect(output).toMatch(
        /durian: delivery runner: inngest \(Inngest configuration is present \(INNGEST_DEV\), Dev Server mode/,
      );
    } finally {
      child.process.kill("SIGKILL");
    }
  });
});
