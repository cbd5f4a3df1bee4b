// Builds dist/durian.js: one ESM file with everything the CLI needs bundled in (the SDK from this
// workspace, zod), so the packed tarball installs alone; then refuses output that imports anything
// but Node's built-ins. Written beside and renamed into place, so a CLI running meanwhile (a test
// started while another builds) never finds the file missing or half written.

import { builtinModules } from "node:module";
import { chmodSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(PACKAGE_ROOT, "dist");
const OUTFILE = path.join(DIST, "durian.js");
const BUILDING = `${OUTFILE}.${process.pid}.tmp`;
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));

try {
  await build({
    entryPoints: [path.join(PACKAGE_ROOT, "src/main.ts")],
    outfile: BUILDING,
    tsconfig: path.join(PACKAGE_ROOT, "tsconfig.build.json"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    define: { DURIAN_CLI_VERSION: JSON.stringify(manifest.version) },
    legalComments: "none",
    logLevel: "warning",
  });
  const problems = foreignImports(BUILDING);
  if (problems.length > 0) {
    throw new Error(`the build imports what the package does not contain:\n  ${problems.join("\n  ")}`);
  }
  chmodSync(BUILDING, 0o755);
  renameSync(BUILDING, OUTFILE);
} catch (error) {
  // No half-built dist/ for `npm pack` to ship.
  rmSync(DIST, { recursive: true, force: true });
  console.error(`@durian/cli: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
console.log(`@durian/cli: built ${path.relative(process.cwd(), OUTFILE)}`);

/** Imports of the built file other than Node's built-ins: they would not resolve where it is installed. */
function foreignImports(file) {
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const source = readFileSync(file, "utf8");
  const specifiers = [
    ...source.matchAll(/\b(?:import|export)\s[^'";]*?\bfrom\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1]);
  return specifiers
    .filter((specifier) => !builtins.has(specifier))
    .map((specifier) => `imports "${specifier}"`);
}
