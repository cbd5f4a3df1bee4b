import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * Browser tests run Debian's chromium (Playwright's own browser downloads cannot work offline).
 * No browser means a failed run with instructions, never a silent skip.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  throw new Error(
    `No Chromium at ${chromiumPath}. Install Debian's: \`apt-get update && apt-get install -y chromium\`, ` +
      "or point CHROMIUM_PATH at a Chromium or Chrome binary.",
  );
}

const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
/** The one loopback port the server may deliver to (DURIAN_ALLOWED_HOSTS): where tests run receivers. */
export const receiverPort = Number(process.env.E2E_RECEIVER_PORT ?? port + 1000);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "test-results/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "tsx scripts/e2e-server.ts",
    url: `${baseURL}/sign-in`,
    // It builds first when the build is stale: about a minute on a quiet 2-core machine, five on a busy one.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { E2E_PORT: String(port), E2E_RECEIVER_PORT: String(receiverPort) },
  },
});
