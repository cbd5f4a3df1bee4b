#!/usr/bin/env node
// Prisma's CLI runs this in place of its native schema engine (PRISMA_SCHEMA_ENGINE_BINARY, set in
// prisma.config.ts), which cannot be downloaded here. It serves the CLI's JSON-RPC with the same engine
// compiled to WebAssembly: see src/server/db/schema-engine-rpc.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/server/db/schema-engine-rpc.ts");
try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`schema-engine stand-in: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
}
