// The SDK must load in any Node or edge app: its public entry may reach only Web APIs. This walks the
// import graph from index.ts and fails on any package or Node built-in import (next, prisma, node:…).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ENTRY = path.join(import.meta.dirname, "index.ts");
const IMPORT_SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;

function importGraph(entry: string) {
  const files = new Set<string>();
  const externalImports: string[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (!specifier.startsWith(".")) {
        externalImports.push(`${path.relative(import.meta.dirname, file)} → ${specifier}`);
        continue;
      }
      const base = path.resolve(path.dirname(file), specifier);
      const resolved = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) =>
        existsSync(candidate),
      );
      if (!resolved) throw new Error(`${file}: cannot resolve ${specifier}`);
      pending.push(resolved);
    }
  }
  return { files: [...files].map((file) => path.relative(import.meta.dirname, file)), externalImports };
}

it("reaches no package and no Node built-in from index.ts", () => {
  const { files, externalImports } = importGraph(ENTRY);
  expect(externalImports).toEqual([]);
  // The walk really followed the graph, into the core modules the SDK reuses.
  expect(files).toEqual(
    expect.arrayContaining(["model-hook.ts", "../core/signing/verify.ts", "../core/payload/project.ts"]),
  );
});
