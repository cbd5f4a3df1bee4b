import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";

// What the package specs share: packing a workspace as a user gets it, and running commands in a
// directory outside the repository.

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const COMMAND_TIMEOUT_MS = 180_000;
const run = promisify(execFile);

/** The environment without the npm_* settings of the npm run that may have started us. */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) {
    if (name.toLowerCase().startsWith("npm_")) delete env[name];
  }
  return env;
}

/** Runs a command to its end; a failure carries its output. */
export async function command(
  file: string,
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  try {
    return await run(file, args, {
      cwd,
      env: options.env ?? plainEnv(),
      timeout: options.timeout ?? COMMAND_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`, {
      cause: error,
    });
  }
}

/** `npm pack` of a workspace (its `prepack` builds it) into `destination`: the tarball and what it holds. */
export async function packWorkspace(
  workspace: string,
  destination: string,
): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await command(
    "npm",
    ["pack", "--workspace", workspace, "--pack-destination", destination, "--json"],
    REPO_ROOT,
  );
  const [pack] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  return {
    tarball: path.join(destination, pack!.filename),
    files: pack!.files.map((file) => file.path).sort(),
  };
}

/** An API key of the signed-in user's project, created through the API as the dashboard would. */
export async function createApiKey(page: Page, name: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}
