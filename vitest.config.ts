import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // The SDK's tests and the app's run against its source: no build needed.
      "@durian/sdk": path.resolve(import.meta.dirname, "packages/sdk/src/index.ts"),
    },
  },
  test: {
    environment: "node",
    include: [
      "src/**/*.test.ts",
      "scripts/**/*.test.ts",
      "packages/*/{src,examples}/**/*.test.ts",
      "*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test data directory, and PostgreSQL only for throwaway databases (see the file).
    globalSetup: ["src/testing/vitest-global-setup.ts"],
  },
});
