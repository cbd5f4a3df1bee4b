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
    // One registry and one tracer provider per process, shared by the runner and the routes.
    "prom-client",
    "@opentelemetry/api",
    "@opentelemetry/core",
    "@opentelemetry/context-async-hooks",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/resources",
    "@opentelemetry/sdk-trace-base",
  ],
  poweredByHeader: false,
  // Every response, the APIs' included; the pages' Content-Security-Policy is set in src/proxy.ts.
  // The customer portal's pages may be framed by the origins their project lists (their CSP's
  // frame-ancestors says which), so they send no X-Frame-Options; their URL carries the link's token,
  // so they send no Referer either.
  async headers() {
    return [
      { source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] },
      {
        source: "/:path((?!portal/).*)",
        headers: [
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      { source: "/portal/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
  // `npm test` type-checks the whole project (`npm run typecheck`); `npm start` need not wait for it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
