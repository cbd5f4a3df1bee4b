import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { seedHook, seedListener } from "@/testing/seed";
import { PRUNE_BATCH_SIZE, PRUNED_TABLES, type PrunedTable, pruneStatement } from "./prune";
import { retentionCutoff } from "./window";

// The plans of the prune statements once a table looks as it does in use: a month of rows within the
// window and a thin slice past it. Each must find the expired rows through an index on their time
// (the per-project one on PostgreSQL 15; PostgreSQL 18, as in PGlite, may skip-scan another index
// ending in the time just as well) and delete them by primary key, never read a whole table.

const NOW = new Date();
const RETENTION_DAYS = 30;
const FRESH_ROWS = 20_000;
const EXPIRED_ROWS = 100;

const TABLE_NAMES: Record<PrunedTable, string> = {
  deliveryAttempts: "DeliveryAttempt",
  deliveries: "Delivery",
  events: "Event",
  inspectorRequests: "InspectorRequest",
  attemptRollups: "AttemptRollup",
};
const TIME_COLUMNS: Record<PrunedTable, string> = {
  deliveryAttempts: "createdAt",
  deliveries: "createdAt",
  events: "createdAt",
  inspectorRequests: "receivedAt",
  attemptRollups: "hour",
};

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const hook = await seedHook(database.db);
  const { listenerId } = await seedListener(database.db, hook, { url: "https://receiver.example.test/" });
  // Row n is n hours old: the first 29 days' worth are fresh, then EXPIRED_ROWS more past the window.
  const rows = FRESH_ROWS + EXPIRED_ROWS;
  const at = Prisma.sql`${NOW}::timestamp(3) - make_interval(secs => n * (${RETENTION_DAYS - 1} * 86400.0 / ${FRESH_ROWS}) + CASE WHEN n > ${FRESH_ROWS} THEN 86400 * 2 ELSE 0 END)`;
  await database.db.$executeRaw`
    INSERT INTO "Event" (id, "projectId", "hookId", "hookName", payload, "createdAt")
    SELECT 'event-' || n, ${hook.projectId}, ${hook.hookId}, ${hook.hookName}, '{}'::jsonb, ${at}
    FROM generate_series(1, ${rows}::int) n`;
  await database.db.$executeRaw`
    INSERT INTO "Delivery" (id, "projectId", "eventId", "listenerId", "hookId", status, "createdAt", "updatedAt")
    SELECT 'delivery-' || n, ${hook.projectId}, 'event-' || n, ${listenerId}, ${hook.hookId},
           'succeeded'::"DeliveryStatus", ${at}, ${at}
    FROM generate_series(1, ${rows}::int) n`;
  await database.db.$executeRaw`
    INSERT INTO "DeliveryAttempt" (id, "deliveryId", "projectId", number, "startedAt", "durationMs",
                                   "requestUrl", "requestHeaders", "requestBody", "createdAt")
    SELECT 'attempt-' || n, 'delivery-' || n, ${hook.projectId}, 1, ${at}, 10,
           'https://receiver.example.test/', '{}'::jsonb, '{}', ${at}
    FROM generate_series(1, ${rows}::int) n`;
  await database.db.$executeRaw`
    INSERT INTO "InspectorRequest" (id, "projectId", method, headers, body, "receivedAt")
    SELECT 'request-' || n, ${hook.projectId}, 'POST', '{}'::jsonb, '{}', ${at}
    FROM generate_series(1, ${rows}::int) n`;
  await database.db.$executeRaw`
    INSERT INTO "AttemptRollup" ("listenerId", hour, "projectId", "hookId", succeeded, "latencyBuckets")
    SELECT ${listenerId}, date_trunc('hour', ${at}) - make_interval(secs => n), ${hook.projectId}, ${hook.hookId}, 1, '{}'
    FROM generate_series(1, ${rows}::int) n`;
  await database.db.$executeRawUnsafe("ANALYZE");
});
afterAll(async () => {
  await database.drop();
});

async function plan(table: PrunedTable): Promise<string> {
  const statement = pruneStatement(table, {
    cutoff: retentionCutoff(NOW, RETENTION_DAYS),
    batchSize: PRUNE_BATCH_SIZE,
  });
  const rows = await database.db.$queryRaw<Record<string, string>[]>(Prisma.sql`EXPLAIN ${statement}`);
  return rows.map((row) => Object.values(row)[0]).join("\n");
}

describe("prune statements' plans", () => {
  it.each(PRUNED_TABLES)(
    "%s: reads only expired rows, by index, and deletes by primary key",
    async (table) => {
      const text = await plan(table);
      const name = TABLE_NAMES[table];
      const timeIndexScan = new RegExp(
        `Index (Only )?Scan (Backward )?using "${name}_\\w+_idx" on "${name}" \\w+ .*\\n\\s*Index Cond: .*"?${TIME_COLUMNS[table]}"? <`,
      );
      expect(text).toMatch(timeIndexScan);
      // The rollups, keyed by listener and hour, are deleted by row address.
      expect(text).toMatch(
        table === "attemptRollups"
          ? new RegExp(`Tid Scan on "${name}"`)
          : new RegExp(`Index Scan using "${name}_pkey" on "${name}"`),
      );
      expect(text).not.toMatch(
        /Seq Scan on "(Event|Delivery|DeliveryAttempt|InspectorRequest|AttemptRollup)"/,
      );
      expect(text).not.toMatch(/Hash (Anti |Semi )?Join/);
    },
  );
});
