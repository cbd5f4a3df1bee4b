// The SDK must load in any Node or edge app: its code may reach only Web APIs, its own files and the
// core modules its build bundles (signing, payload projection). This walks the import graph from
// index.ts and fails on any package, Node built-in or server module reached by code; the API's shapes
// come from the contract as types only, through one file. (The build checks its output the same way.)

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const SDK_SOURCE = import.meta.dirname;
const REPO_ROOT = path.resolve(SDK_SOURCE, "../../..");
const BUNDLED_CORE = path.join(REPO_ROOT, "src/core");
const IMPORT_STATEMENT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

interface ImportEdge {
  from: string;
  specifier: string;
  typeOnly: boolean;
}

function importsOf(file: string): ImportEdge[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(IMPORT_STATEMENT)].map((match) => ({
    from: file,
    specifier: (match[3] ?? match[4] ?? match[5])!,
    typeOnly: match[2] !== undefined,
  }));
}

function isInSdk(file: string): boolean {
  return file.startsWith(SDK_SOURCE + path.sep);
}

function resolveRelative(edge: ImportEdge): string {
  const base = path.resolve(path.dirname(edge.from), edge.specifier);
  const resolved = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) =>
    existsSync(candidate),
  );
  if (!resolved) throw new Error(`${edge.from}: cannot resolve ${edge.specifier}`);
  return resolved;
}

/**
 * The SDK's files and the code they run from elsewhere, every package or built-in that code imports,
 * and the SDK's type-only imports from outside itself (the declarations its build inlines or keeps).
 */
function codeGraph(entry: string) {
  const files = new Set<string>();
  const externalImports: string[] = [];
  const typeImportsLeavingTheSdk: string[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const inSdk = isInSdk(file);
    for (const edge of importsOf(file)) {
      const where = `${path.relative(SDK_SOURCE, file)} → ${edge.specifier}`;
      const target = edge.specifier.startsWith(".") ? resolveRelative(edge) : undefined;
      if (target && isInSdk(target)) pending.push(target);
      else if (edge.typeOnly) {
        if (inSdk) typeImportsLeavingTheSdk.push(where);
      } else if (target) pending.push(target);
      else externalImports.push(where);
    }
  }
  return { files: [...files], externalImports, typeImportsLeavingTheSdk };
}

const graph = codeGraph(path.join(SDK_SOURCE, "index.ts"));

it("reaches no package and no Node built-in from index.ts", () => {
  expect(graph.externalImports).toEqual([]);
  // The walk really followed the graph, into the core modules the SDK reuses.
  expect(graph.files.map((file) => path.relative(REPO_ROOT, file))).toEqual(
    expect.arrayContaining([
      "packages/sdk/src/model-hook.ts",
      "src/core/signing/verify.ts",
      "src/core/payload/project.ts",
    ]),
  );
});

it("runs no code from outside the SDK but the core's, which its build bundles", () => {
  const outside = graph.files.filter((file) => !isInSdk(file));
  const notCore = outside.filter((file) => !file.startsWith(BUNDLED_CORE + path.sep));
  expect(notCore.map((file) => path.relative(REPO_ROOT, file))).toEqual([]);
});

it("takes the API's shapes from the contract as types, in api-types.ts alone", () => {
  // zod's types and the contract's module, whichever path it lives at.
  const importers = graph.typeImportsLeavingTheSdk.map((edge) => edge.split(" → ")[0]);
  expect(importers).toEqual(["api-types.ts", "api-types.ts"]);
  expect(graph.typeImportsLeavingTheSdk).toContain("api-types.ts → zod");
});
