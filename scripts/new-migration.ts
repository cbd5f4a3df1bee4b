// Usage: npm run db:migration:new -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql for the changes in prisma/schema.prisma
// since the last migration, using Prisma's schema engine compiled to WebAssembly.
import path from "node:path";
import { createMigration } from "../src/server/db/new-migration";

const name = process.argv.slice(2).join(" ");
if (!name.trim()) {
  console.error("Usage: npm run db:migration:new -- <name>   (e.g. add_listener_tags)");
  process.exit(1);
}

try {
  const created = await createMigration(name);
  if (created) console.log(`Created ${path.relative(process.cwd(), created.file)}`);
  else console.log("No changes: prisma/schema.prisma matches the migrations.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
