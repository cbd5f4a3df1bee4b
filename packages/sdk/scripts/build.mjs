// Builds dist/: index.js with esbuild (bundling the core modules the SDK shares with the server) and
// index.d.ts with dts-bundle-generator (inlining the contract's declarations), then refuses output
// that imports anything but its own files and the package's declared dependencies.

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { generateDtsBundle } from "dts-bundle-generator";

const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(PACKAGE_ROOT, "dist");
const ENTRY = path.join(PACKAGE_ROOT, "src/index.ts");
const TSCONFIG = path.join(PACKAGE_ROOT, "tsconfig.build.json");
const OUTPUTS = { code: path.join(DIST, "index.js"), types: path.join(DIST, "index.d.ts") };

const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
const declaredDependencies = new Set(Object.keys(manifest.dependencies ?? {}));

rmSync(DIST, { recursive: true, force: true });
try {
  await buildCode();
  writeFileSync(OUTPUTS.types, bundledDeclarations());
  const problems = [
    ...undeclaredImports(OUTPUTS.code, { allowed: new Set() }),
    ...undeclaredImports(OUTPUTS.types, { allowed: declaredDependencies }),
  ];
  if (problems.length > 0) {
    throw new Error(`the build imports what the package does not contain:\n  ${problems.join("\n  ")}`);
  }
} catch (error) {
  // No half-built dist/ for `npm pack` to ship.
  rmSync(DIST, { recursive: true, force: true });
  console.error(`@durian/sdk: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
console.log(`@durian/sdk: built ${path.relative(process.cwd(), DIST)}/ (index.js, index.d.ts)`);

async function buildCode() {
  await build({
    entryPoints: [ENTRY],
    outfile: OUTPUTS.code,
    tsconfig: TSCONFIG,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    // Left as imports, so that the check sees any package the code would need at run time.
    packages: "external",
    legalComments: "none",
    logLevel: "warning",
  });
}

function bundledDeclarations() {
  const [declarations] = generateDtsBundle(
    [
      {
        filePath: ENTRY,
        output: { noBanner: true, exportReferencedTypes: false },
        libraries: { allowedTypesLibraries: [] },
      },
    ],
    { preferredConfigPath: TSCONFIG },
  );
  return declarations;
}

/**
 * Imports of a built file that would not resolve in an app: anything but the `allowed` packages
 * (index.js needs none; index.d.ts may use the declared dependencies' types) and relative paths
 * leaving dist/. Node built-ins count too: the SDK runs on Web APIs alone.
 */
function undeclaredImports(file, { allowed }) {
  const source = readFileSync(file, "utf8");
  const specifiers = [
    ...source.matchAll(/\b(?:import|export)\s[^'";]*?\bfrom\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\/\/\/\s*<reference\s+(?:types|path)\s*=\s*["']([^"']+)["']/g),
  ].map((match) => match[1]);
  return specifiers
    .filter((specifier) => {
      if (specifier.startsWith(".")) return !path.resolve(DIST, specifier).startsWith(DIST + path.sep);
      const packageName = specifier.startsWith("@")
        ? specifier.split("/").slice(0, 2).join("/")
        : specifier.split("/")[0];
      return !allowed.has(packageName);
    })
    .map((specifier) => `${path.basename(file)} imports "${specifier}"`);
}
