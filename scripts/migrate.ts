// Usage: npm run db:migrate
// Applies pending migrations from prisma/migrations to the configured database (DATABASE_URL, or the
// embedded PGlite directory), recording them in _prisma_migrations like `prisma migrate deploy`.
// Never run it while a server holds the PGlite directory: PGlite has no cross-process lock.
import { migrateConfiguredDatabase } from "../src/server/db/migrate";

try {
  await migrateConfiguredDatabase({ log: console.log });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
