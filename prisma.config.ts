import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads a native schema engine unless this names an existing file. We ship a
// stand-in that runs the same engine compiled to WebAssembly (see README: Database).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/prisma-schema-engine.mjs");

// The same database the app uses: DATABASE_URL, else the embedded PGlite directory, which the
// stand-in engine understands as `pglite:<directory>`. While the app holds that directory, the
// engine refuses and names the app's pid (src/server/db/data-dir-lock.ts).
const embeddedDatabase = `pglite:${path.join(process.env.DURIAN_DATA_DIR || ".data", "pglite")}`;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL || embeddedDatabase },
});
