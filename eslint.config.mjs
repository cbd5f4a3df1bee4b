import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Test code may reach anywhere to set up what it tests; the layering below is for the code that ships.
const testCode = ["**/*.test.ts", "**/*.test.tsx", "src/testing/**", "e2e/**"];

// The README's architecture map as import rules: a file under `target` may not import from `from`
// (folders resolved from this directory, packages as their node_modules folder, relative imports too).
// `except` entries are relative to each `from` folder.
const edges = ["src/app", "src/server/api", "src/server/rest"];
const deliveryPath = [
  "src/server/delivery",
  "src/server/runner",
  "src/server/jobs",
  "src/server/fan-out",
  "src/server/matching",
];
const serverOnlyPackages = ["node_modules/better-auth", "node_modules/next", "node_modules/inngest"];

const layers = [
  {
    target: "src/core",
    from: ["src", "node_modules"],
    except: ["./core", "./zod", "./ipaddr.js", "./re2js"],
    message:
      "src/core is pure domain code: no server, app, framework or database; only zod, ipaddr.js, re2js.",
  },
  {
    target: "src/contracts",
    from: ["src", "node_modules"],
    except: ["./contracts", "./core", "./zod"],
    message: "src/contracts is client-safe: it imports only zod and src/core.",
  },
  {
    target: "src/server/services",
    from: edges,
    message: "Services hold the rules REST and tRPC share: they import neither the edges nor the app.",
  },
  {
    target: deliveryPath,
    from: edges,
    message: "The delivery path runs without the HTTP edges (REST, tRPC, the app) and their auth.",
  },
  {
    // Only the edges authenticate, so nothing the delivery worker imports can pull in better-auth.
    target: ["src/server/!(auth|api|rest)/**", "src/server/*.ts"],
    from: ["src/server/auth", "node_modules/better-auth"],
    message:
      "Only the edges (src/app, server/api, server/rest) import auth: the delivery worker runs without it.",
  },
  {
    target: "packages/sdk",
    from: ["src/server", "src/app", "src/components", "src/trpc", "src/generated", ...serverOnlyPackages],
    message: "The SDK runs in users' apps: it imports no server code.",
  },
  {
    target: "packages/cli",
    from: ["src/server", "src/app", "src/components", "src/trpc", "src/generated", ...serverOnlyPackages],
    message: "The CLI runs on developers' machines: it talks to the API and imports no server code.",
  },
  {
    target: "src",
    from: "src/testing",
    message: "Test helpers (src/testing) are for tests only.",
  },
];

// A client component ("use client", and the shared components it renders) ships to the browser: it
// may import the server's types, never its code; the schemas it validates with are in src/contracts.
const serverCode = String.raw`/^(@\/server\/|@\/trpc\/server$|@\/generated\/prisma\/client$|(\.\.\/)+server\/)/`;
const serverValueImport = `ImportDeclaration[importKind='value'][source.value=${serverCode}]`;
const clientImportMessage = "A client component imports no server code (`import type` is fine).";

const nonReactCode = ["e2e/**", "scripts/**", "src/server/**", "src/core/**", "packages/**", "*.{js,mjs,ts}"];
const nextRules = nextCoreWebVitals.flatMap((block) => Object.keys(block.rules ?? {}));
const reactRulesOff = Object.fromEntries(
  nextRules.filter((rule) => /^react(-hooks)?\//.test(rule)).map((rule) => [rule, "off"]),
);

const config = [
  {
    ignores: [
      "src/generated/**",
      "src/testing/generated/**",
      "coverage/**",
      "test-results/**",
      "playwright-report/**",
      ".data/**",
      // Built by the packages' prepack (the browser suite packs them).
      "packages/*/dist/**",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // Warnings are errors (`npm run lint` allows none); `_name` marks a deliberately unused one.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // A variable read by a callback before its one assignment (a child process started later).
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // React's rules mean nothing outside React code (Playwright fixtures and plain callbacks are also
    // called `use`), and the React Compiler's analysis took most of the lint's time there.
    files: nonReactCode,
    rules: reactRulesOff,
  },
  {
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: testCode,
    rules: {
      "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: layers }],
    },
  },
  {
    files: ["src/components/**"],
    ignores: testCode,
    rules: {
      "no-restricted-syntax": ["error", { selector: serverValueImport, message: clientImportMessage }],
    },
  },
  {
    files: ["src/**/*.tsx", "src/**/*.ts"],
    ignores: [...testCode, "src/components/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `Program:has(> ExpressionStatement[directive='use client']) > ${serverValueImport}`,
          message: clientImportMessage,
        },
      ],
    },
  },
];

export default config;
