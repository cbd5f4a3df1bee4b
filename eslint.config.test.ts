// The layering in eslint.config.mjs, checked on snippets placed in each layer: a forbidden import must
// fail the lint with the layer's message, and an allowed one must pass.
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: import.meta.dirname });
});

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages;
}

function boundaryErrors(messages: Linter.LintMessage[]): string[] {
  return messages
    .filter((message) => message.ruleId === "import/no-restricted-paths" && message.severity === 2)
    .map((message) => message.message);
}

describe("the layering the README draws", () => {
  it("keeps the server out of src/core", async () => {
    const messages = await lint(
      "src/core/delivery/x.ts",
      'import { getDb } from "@/server/db/client";\nexport const db = getDb;\n',
    );
    expect(boundaryErrors(messages)).toEqual([
      'Unexpected path "@/server/db/client" imported in restricted zone. ' +
        "src/core is pure domain code: no server, app, framework or database; only zod, ipaddr.js, re2js.",
    ]);
  });

  it("keeps frameworks out of src/core, relative imports included", async () => {
    const messages = await lint(
      "src/core/delivery/x.ts",
      'import { NextResponse } from "next/server";\nimport { env } from "../../server/env";\n' +
        "export const both = [NextResponse, env];\n",
    );
    expect(boundaryErrors(messages)).toHaveLength(2);
  });

  it("lets src/core import itself and zod", async () => {
    const messages = await lint(
      "src/core/delivery/x.ts",
      'import { z } from "zod";\nimport { matchesFilter } from "@/core/filter";\nexport const both = [z, matchesFilter];\n',
    );
    expect(messages).toEqual([]);
  });

  it("keeps auth out of the delivery path", async () => {
    const messages = await lint(
      "src/server/delivery/x.ts",
      'import { getAuth } from "@/server/auth/auth";\nimport { betterAuth } from "better-auth";\n' +
        "export const both = [getAuth, betterAuth];\n",
    );
    expect(boundaryErrors(messages)).toEqual([
      'Unexpected path "@/server/auth/auth" imported in restricted zone. ' +
        "Only the edges (src/app, server/api, server/rest) import auth: the delivery worker runs without it.",
      'Unexpected path "better-auth" imported in restricted zone. ' +
        "Only the edges (src/app, server/api, server/rest) import auth: the delivery worker runs without it.",
    ]);
  });

  it("keeps the delivery path off the edges, whose imports reach auth", async () => {
    const messages = await lint(
      "src/server/runner/x.ts",
      'import { authenticate } from "@/server/rest/authenticate";\nexport const check = authenticate;\n',
    );
    expect(boundaryErrors(messages)).toEqual([
      expect.stringContaining("The delivery path runs without the HTTP edges"),
    ]);
  });

  it("keeps REST out of the services", async () => {
    const messages = await lint(
      "src/server/services/x.ts",
      'import { authenticate } from "@/server/rest/authenticate";\nexport const check = authenticate;\n',
    );
    expect(boundaryErrors(messages)).toEqual([expect.stringContaining("Services hold the rules")]);
  });

  it("keeps server code out of the SDK and out of src/contracts", async () => {
    const code = 'import { getDb } from "@/server/db/client";\nexport const db = getDb;\n';
    expect(boundaryErrors(await lint("packages/sdk/src/x.ts", code))).toEqual([
      expect.stringContaining("The SDK runs in users' apps"),
    ]);
    expect(boundaryErrors(await lint("src/contracts/x.ts", code))).toEqual([
      expect.stringContaining("src/contracts is client-safe"),
    ]);
    expect(boundaryErrors(await lint("packages/cli/src/x.ts", code))).toEqual([
      expect.stringContaining("The CLI runs on developers' machines"),
    ]);
  });

  it("keeps server code out of client components, their types excepted", async () => {
    const messages = await lint(
      "src/app/(dashboard)/x.tsx",
      '"use client";\nimport { getDb } from "@/server/db/client";\n' +
        'import type { ListenerRecord } from "@/server/services/listeners";\n' +
        "export const db = getDb;\nexport type Listener = ListenerRecord;\n",
    );
    expect(messages.map((message) => [message.line, message.ruleId, message.message])).toEqual([
      [2, "no-restricted-syntax", "A client component imports no server code (`import type` is fine)."],
    ]);
  });

  it("lets a server component import server code", async () => {
    const messages = await lint(
      "src/app/(dashboard)/x.tsx",
      'import { getDb } from "@/server/db/client";\nexport const db = getDb;\n',
    );
    expect(messages).toEqual([]);
  });

  it("keeps test helpers out of production code", async () => {
    const messages = await lint(
      "src/server/services/x.ts",
      'import { startReceiver } from "@/testing/receiver";\nexport const start = startReceiver;\n',
    );
    expect(boundaryErrors(messages)).toEqual([expect.stringContaining("Test helpers (src/testing)")]);
  });
});
