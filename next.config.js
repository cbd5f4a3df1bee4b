/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files from its own package directory at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/schema-engine-wasm",
    // One copy per process: its table of held locks and its exit hook (removing them) are global.
    "proper-lockfile",
  ],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (`npm run typecheck`); `npm start` need not wait for it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
