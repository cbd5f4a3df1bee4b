// Usage: npm run db:migrate
// Applies pending migrations from prisma/migrations to the configured database (DATABASE_URL, or the
// embedded PGlite directory), recording them in _prisma_migrations like `prisma migrate deploy`.
// While another process holds the PGlite directory (a running server), it refuses and names its pid.
import { migrateConfiguredDatabase } from "../src/server/db/migrate";

try {
  await migrateConfiguredDatabase({ log: console.log });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
