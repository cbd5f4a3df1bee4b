// A database that goes away, on a real PostgreSQL: /api/v1 answers 503 + Retry-After (not 500) and
// the dashboard's tRPC a "database unavailable" error, then everything works again when it is back,
// with every accepted event stored. The app reaches the database through a TCP proxy the test cuts.
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createCaller } from "@/server/api/root";
import { createPrismaClient, setDbForTesting } from "@/server/db/client";
import { testDatabaseServerUrl } from "@/testing/databases";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/server/db/unavailable";
import { waitUntil } from "@/testing/runner";
import { type ApiHarness, type ApiResponse, startApiHarness } from "@/testing/api-harness";

/** Forwards 127.0.0.1:<port> to PostgreSQL; `cut` drops every connection and refuses new ones. */
async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const listen = (server: net.Server, port: number) =>
    new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const create = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => {});
        socket.on("close", () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  let server = create();
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async cut() {
      await new Promise((resolve) => {
        server.close(resolve);
        for (const socket of sockets) socket.destroy();
      });
    },
    async restore() {
      server = create();
      await listen(server, port);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

const serverUrl = testDatabaseServerUrl();

describe.skipIf(!serverUrl)("a lost database connection", () => {
  let harness: ApiHarness;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let proxiedDb: PrismaClient;
  let admin: pg.Client;
  const accepted: string[] = [];
  const user = { id: "outage-user", email: "outage@example.test", name: "Outage" };

  async function sendEvent(name: string, idempotencyKey?: string): Promise<ApiResponse> {
    const response = await harness.call("POST", "/hooks/person/events", {
      body: { payload: { name } },
      headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {},
    });
    if (response.status === 202) accepted.push(response.body.eventId);
    return response;
  }

  function expectUnavailable(response: ApiResponse) {
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(response.body).toMatchObject({ status: 503, title: "Service Unavailable" });
  }

  beforeAll(async () => {
    harness = await startApiHarness();
    const url = new URL(harness.database.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    proxiedDb = createPrismaClient(url.toString());
    setDbForTesting(proxiedDb);
    admin = new pg.Client({ connectionString: harness.database.url });
    await admin.connect();
    await harness.db.user.create({ data: user });
    await harness.db.projectMember.create({
      data: { projectId: harness.projectId, userId: user.id, role: "owner" },
    });
    expect((await harness.call("PUT", "/hooks/person", { body: { providesArgs: ["name"] } })).status).toBe(
      201,
    );
  });

  afterAll(async () => {
    await admin?.end();
    await proxiedDb?.$disconnect();
    proxy?.close();
    await harness?.close();
  });

  it("answers 503 with Retry-After while the server cannot be reached, and works again once it can", async () => {
    expect((await sendEvent("before")).status).toBe(202);

    await proxy.cut();
    expectUnavailable(await sendEvent("during", "outage-1"));
    expectUnavailable(await harness.call("GET", "/events"));
    await expect(createCaller({ headers: new Headers(), user }).project.list()).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: expect.stringMatching(/database is unavailable/i),
    });

    await proxy.restore();
    // The event refused during the outage, sent again with its key, is stored once.
    expect((await sendEvent("during", "outage-1")).status).toBe(202);
    expect((await sendEvent("after")).status).toBe(202);
    expect((await harness.call("GET", "/events")).status).toBe(200);
  });

  it("answers 503 to a request whose connection the server terminates (pg_terminate_backend)", async () => {
    const databaseName = new URL(harness.database.url!).pathname.slice(1);
    // The event's insert waits on this lock, so its connection is busy when it is terminated.
    await admin.query("BEGIN");
    await admin.query('LOCK TABLE "Event" IN ACCESS EXCLUSIVE MODE');
    const blocked = sendEvent("terminated");
    await waitUntil("the insert waits for the lock", async () => {
      const { rows } = await admin.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        [databaseName],
      );
      return rows.length > 0;
    });
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [databaseName],
    );
    expectUnavailable(await blocked);
    await admin.query("ROLLBACK");

    expect((await sendEvent("after termination")).status).toBe(202);
  });

  it("lost no accepted event", async () => {
    const stored = await harness.db.event.findMany({ where: { id: { in: accepted } }, select: { id: true } });
    expect(stored.map((event) => event.id).sort()).toEqual([...accepted].sort());
    expect(await harness.db.event.count({ where: { projectId: harness.projectId } })).toBe(accepted.length);
  });
});
