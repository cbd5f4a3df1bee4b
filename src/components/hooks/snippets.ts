import type { Snippet } from "@/components/ui/snippet-tabs";
import {
  denormalizeHookField,
  examplePayload,
  type HookField,
  type HookFieldInput,
} from "@/core/hook-fields";

/**
 * Code a user pastes to register a hook or send its event, with the SDK and with curl, against this
 * Durian's real API URL. Pure functions, so the pages and their tests share them.
 */

/** The SDK's package (packages/sdk; its README says how to install it). */
export const SDK_IMPORT_PATH = "@durian/sdk";
const SDK_IMPORT_NOTE = "// @durian/sdk: `npm pack` it from Durian's packages/sdk until it is on npm.";
const API_KEY_VARIABLE = "DURIAN_API_KEY";

/** Quotes text for a POSIX shell: single quotes, with embedded ones closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function identifierFor(hookName: string): string {
  const words = hookName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words
    .map((word, index) => (index === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join("");
  const name = /^[A-Za-z_]/.test(camel) ? camel : `hook${camel}`;
  return `${name || "my"}Hook`;
}

function sdkClient(apiOrigin: string): string {
  return `const durian = new Durian({ url: ${JSON.stringify(apiOrigin)}, apiKey: process.env.${API_KEY_VARIABLE}! });`;
}

function hookDefinition(
  identifier: string,
  hookName: string,
  providesArgs: readonly HookFieldInput[],
): string {
  return `const ${identifier} = new Hook({ name: ${JSON.stringify(hookName)}, providesArgs: ${JSON.stringify(providesArgs)} });`;
}

function curl(method: string, url: string, body: unknown): string {
  return [
    `curl -X ${method} ${shellQuote(url)} \\`,
    `  -H "Authorization: Bearer $${API_KEY_VARIABLE}" \\`,
    `  -H "content-type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join("\n");
}

function hookUrl(apiOrigin: string, hookName: string): string {
  return `${apiOrigin}/api/v1/hooks/${encodeURIComponent(hookName)}`;
}

/** Registering a hook: what an app runs at start-up (idempotent), or one PUT. */
export function registerHookSnippets(
  apiOrigin: string,
  hookName: string,
  providesArgs: readonly HookFieldInput[],
): Snippet[] {
  const identifier = identifierFor(hookName);
  return [
    {
      id: "sdk",
      label: "SDK",
      description: "TypeScript SDK code that registers the hook",
      code: [
        SDK_IMPORT_NOTE,
        `import { Durian, Hook } from ${JSON.stringify(SDK_IMPORT_PATH)};`,
        "",
        sdkClient(apiOrigin),
        hookDefinition(identifier, hookName, providesArgs),
        `durian.hooks.register(${identifier});`,
        "await durian.hooks.sync(); // creates or updates every registered hook",
      ].join("\n"),
    },
    {
      id: "curl",
      label: "curl",
      description: "curl command that registers the hook",
      code: curl("PUT", hookUrl(apiOrigin, hookName), { providesArgs }),
    },
  ];
}

/** Sending one event of the hook, with a value of each field's type. */
export function sendEventSnippets(
  apiOrigin: string,
  hookName: string,
  fields: readonly HookField[],
): Snippet[] {
  const identifier = identifierFor(hookName);
  const providesArgs = fields.map(denormalizeHookField);
  const payload = examplePayload(fields);
  return [
    {
      id: "sdk",
      label: "SDK",
      description: `TypeScript SDK code that sends a ${hookName} event`,
      code: [
        SDK_IMPORT_NOTE,
        `import { Durian, Hook } from ${JSON.stringify(SDK_IMPORT_PATH)};`,
        "",
        sdkClient(apiOrigin),
        hookDefinition(identifier, hookName, providesArgs),
        `durian.hooks.register(${identifier});`,
        "",
        `await ${identifier}.send(null, ${JSON.stringify(payload, null, 2)});`,
      ].join("\n"),
    },
    {
      id: "curl",
      label: "curl",
      description: `curl command that sends a ${hookName} event`,
      code: curl("POST", `${hookUrl(apiOrigin, hookName)}/events`, { payload }),
    },
  ];
}
