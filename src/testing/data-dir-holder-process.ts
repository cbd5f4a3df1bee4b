// A process that opens the embedded database through getDb(), as the server does, for the tests of
// the data directory lock (data-dir-lock.test.ts). Prints HOLDER_READY and its pid once it holds the
// database, then obeys one command a line on stdin:
//   write <label>   stores a row            → "wrote <label>"
//   rows            lists the stored rows   → "rows <label>,<label>…"
//   close           closeDb()               → "closed"
// With DURIAN_TEST_HAND_OVER=1 it takes the lock itself and starts a copy of itself that opens the
// database under the handed-over lock, as npm start does with its server (the copy does the above).
import { spawn } from "node:child_process";
import readline from "node:readline";
import { closeDb, getDb } from "@/server/db/client";
import { configuredDatabase } from "@/server/db/config";
import { acquireDataDirLock, dataDirLockHandoverEnv } from "@/server/db/data-dir-lock";

const HOLDER_READY = "durian-test-holder-ready";

if (process.env.DURIAN_TEST_HAND_OVER === "1") {
  const config = configuredDatabase();
  if (config.kind !== "pglite") throw new Error("the handover test needs the embedded database");
  const lock = acquireDataDirLock(config.dataDir);
  const child = spawn(process.execPath, process.execArgv.concat(process.argv.slice(1)), {
    stdio: "inherit",
    env: { ...process.env, DURIAN_TEST_HAND_OVER: "", ...dataDirLockHandoverEnv(lock) },
  });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await serveCommands();
}

async function serveCommands() {
  try {
    const db = getDb();
    await db.$executeRawUnsafe("CREATE TABLE IF NOT EXISTS lock_probe (label text PRIMARY KEY)");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(`${HOLDER_READY} ${process.pid}`);

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, argument] = line.trim().split(" ");
    if (command === "write") {
      await getDb().$executeRaw`INSERT INTO lock_probe (label) VALUES (${argument})`;
      console.log(`wrote ${argument}`);
    } else if (command === "rows") {
      const rows = await getDb().$queryRaw<{ label: string }[]>`SELECT label FROM lock_probe ORDER BY label`;
      console.log(`rows ${rows.map((row) => row.label).join(",")}`);
    } else if (command === "close") {
      await closeDb();
      console.log("closed");
    }
  }
}
