import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { receiverPort } from "../playwright.config";
import { buildIsCurrent } from "../scripts/lib/next-app";
import { command, createApiKey, packWorkspace, plainEnv, REPO_ROOT } from "./packages";
import { signUp, uniqueEmail } from "./support";

// The SDK as a user gets it: `npm pack` builds and packs packages/sdk, a new app in the system's
// temporary directory (outside this repository, so nothing resolves from its node_modules) installs the
// tarball from the npm registry's point of view, type-checks the README's quickstart and a file of the
// SDK's types with `tsc --strict`, and runs the compiled quickstart with plain node against the real
// server: hook synced, filtered listener to a receiver on 127.0.0.1, event sent, delivery verified.

const SDK_ROOT = path.join(REPO_ROOT, "packages/sdk");
const QUICKSTART = path.join(SDK_ROOT, "examples/quickstart.ts");
const NPM_INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"];
const QUICKSTART_TIMEOUT_MS = 60_000;

/** The repository's pinned version of a dev dependency, so the temporary app compiles with the same. */
function pinnedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const version = manifest.devDependencies[name];
  if (!version) throw new Error(`package.json has no devDependency ${name}`);
  return `${name}@${version}`;
}

// Uses the SDK's exported types as an app would; each @ts-expect-error fails the compile if the types
// degraded to `any` (a .d.ts that lost its imports, say).
const TYPES_CHECK = `import {
  Durian,
  Hook,
  Startswith,
  type EventRecord,
  type FilterJson,
  type HookRecord,
  type ListenerWithSecret,
} from "@durian/sdk";

class CustomerHook extends Hook {
  name = "customer";
  providesArgs = ["name", "changedBy"];
  override preparePayload(sender: string | null, customer: Record<string, unknown>) {
    return { name: \`\${String(customer.first)} \${String(customer.last)}\`, changedBy: sender };
  }
}

export async function useTheTypes(durian: Durian): Promise<string> {
  const hook: HookRecord = await durian.getHook("customer");
  const kind: "custom" | "signal" | "model" = hook.kind;
  const listener: ListenerWithSecret = await durian.getListener("listener-id");
  const event: EventRecord = await durian.getEvent("event-id");
  const status: "pending" | "delivering" | "succeeded" | "failed" | undefined = event.deliveries[0]?.status;
  const filter: FilterJson = { name: { $startswith: "J" }, "address.city": "Oslo" };
  await durian.createListener({ hook: "customer", url: "https://example.com/hook", filter });
  await new CustomerHook().listener({ url: "https://example.com" }).match({ name: Startswith("J") }).save();

  // @ts-expect-error providesArgs is a list of field names
  await durian.putHook({ name: "customer", providesArgs: "name" });
  // @ts-expect-error a listener needs a url
  await durian.createListener({ hook: "customer" });
  // @ts-expect-error a hook's kind is custom, signal or model
  const otherKind: HookRecord["kind"] = "other";
  // @ts-expect-error Startswith takes a string
  const badMatcher = Startswith(1);

  return [kind, listener.secret, status, otherKind, JSON.stringify(badMatcher)].join();
}
`;

let workDir: string;
test.beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), "durian-sdk-package-"));
});
test.afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test("the packed SDK installs in a new app, type-checks under --strict and runs the quickstart against the server", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);

  // Pack: `prepack` builds dist/, and only dist/ and the README go in.
  const packs = path.join(workDir, "packs");
  mkdirSync(packs);
  const pack = await packWorkspace("@durian/sdk", packs);
  expect(pack.files).toEqual(["README.md", "dist/index.d.ts", "dist/index.js", "package.json"]);
  const { tarball } = pack;
  // The SDK's build wrote only its own dist/: the server's build is still current.
  expect(buildIsCurrent(), "packing the SDK changed an input of the app's build").toBe(true);

  // A new app, outside the repository.
  const app = path.join(workDir, "app");
  mkdirSync(path.join(app, "src"), { recursive: true });
  writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "sdk-quickstart-app", private: true, type: "module" }, null, 2),
  );
  writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          skipLibCheck: false,
          rootDir: "src",
          outDir: "dist",
        },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  copyFileSync(QUICKSTART, path.join(app, "src/quickstart.ts"));
  writeFileSync(path.join(app, "src/types-check.ts"), TYPES_CHECK);
  await command(
    "npm",
    ["install", tarball, pinnedVersion("typescript"), pinnedVersion("@types/node"), ...NPM_INSTALL_FLAGS],
    app,
  );
  const installed = JSON.parse(
    readFileSync(path.join(app, "node_modules/@durian/sdk/package.json"), "utf8"),
  ) as { version: string };
  expect(installed.version).toBe("0.1.0");

  // `tsc --strict` over the quickstart and the types check; it emits the quickstart as plain JS.
  await command(path.join(app, "node_modules/.bin/tsc"), ["-p", "."], app);

  // The quickstart, with plain node, against the real server.
  await signUp(page, { name: "Newman", email: uniqueEmail("newman") });
  const apiKey = await createApiKey(page, "e2e sdk package");
  const { stdout } = await command(process.execPath, ["dist/quickstart.js"], app, {
    env: plainEnv({
      DURIAN_URL: baseURL!,
      DURIAN_API_KEY: apiKey,
      RECEIVER_PORT: String(receiverPort),
    }),
    timeout: QUICKSTART_TIMEOUT_MS,
  });
  expect(stdout).toContain('receiver verified: {"name":"Joe","address":"Queens"}');
  const eventId = stdout.match(/event (\S+) matched 1 listener\(s\)/)?.[1];
  expect(eventId, stdout).toBeDefined();

  // The server stored the payload without the field the hook does not provide. (Its delivery went
  // with the listener the quickstart deleted at its end.)
  const event = await page.request.get(`/api/v1/events/${eventId}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(event.status()).toBe(200);
  const stored = (await event.json()) as { hook: string; payload: unknown };
  expect(stored.hook).toBe("person");
  expect(stored.payload).toEqual({ name: "Joe", address: "Queens" });
});
