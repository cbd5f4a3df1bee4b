// The built `durian` CLI, as a real process, against the real /api/v1 handlers behind a real HTTP
// server on 127.0.0.1 (a real database; the test's runner creates each event's deliveries at once and
// never sends one), forwarding to real receivers.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyWebhook } from "@durian/sdk";
import { type ApiHarness, startApiHarness } from "@/testing/api-harness";
import { startReceiver, type TestReceiver, unusedPort } from "@/testing/receiver";
import { serveApi, type ServedApi } from "@/testing/serve-api";

const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(PACKAGE_ROOT, "dist/durian.js");
const WAIT = { timeout: 20_000, interval: 25 };
const run = promisify(execFile);

let api: ApiHarness;
let server: ServedApi;
const processes: CliProcess[] = [];
const receivers: TestReceiver[] = [];

beforeAll(async () => {
  await run(process.execPath, [path.join(PACKAGE_ROOT, "scripts/build.mjs")]);
  api = await startApiHarness();
  server = await serveApi();
  const hook = await api.call("PUT", "/hooks/person", { body: { providesArgs: ["name", "address"] } });
  expect(hook.status).toBe(201);
}, 120_000);

afterEach(async () => {
  await Promise.all(processes.splice(0).map((cli) => cli.kill("SIGKILL")));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  // `listen` keeps its relay listener for the next run; each test starts without the others'.
  await api.db.listener.deleteMany({ where: { relay: true } });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
});

interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, DURIAN_URL: server.url, DURIAN_API_KEY: api.apiKey, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const cli: CliProcess = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  processes.push(cli);
  return cli;
}

async function receiver(status = 200): Promise<TestReceiver> {
  const started = await startReceiver((_, response) => {
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(`local ${status}`);
  });
  receivers.push(started);
  return started;
}

/** Starts `durian listen` and waits until it is ready (its stream open), reading the secret it printed. */
async function listen(args: string[]): Promise<{ cli: CliProcess; secret: string; listenerId: string }> {
  const cli = startCli(["listen", "person", ...args]);
  const ready = await vi.waitFor(() => {
    const match = cli
      .stderr()
      .match(
        /relay listener (\S+) .*\n(?:.*\n)*?Your webhook signing secret is (whsec_\S+)\n(?:.*\n)*?Ready!/,
      );
    if (!match) throw new Error(`not ready yet:\n${cli.stderr()}`);
    return { listenerId: match[1]!, secret: match[2]! };
  }, WAIT);
  return { cli, ...ready };
}

/** A TCP proxy to the API on 127.0.0.1 whose connections the test can cut, as a network or a restart would. */
async function dropableProxy(targetPort: string) {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(targetPort), "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
    dropAll: () => sockets.forEach((socket) => socket.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        proxy.close(() => resolve());
      }),
  };
}

async function sendEvent(payload: Record<string, unknown>): Promise<string> {
  const sent = await api.call("POST", "/hooks/person/events", { body: { payload } });
  expect(sent.status).toBe(202);
  return sent.body.eventId as string;
}

async function deliveryOf(eventId: string) {
  const event = await api.call("GET", `/events/${eventId}`);
  expect(event.body.deliveries).toHaveLength(1);
  return (await api.call("GET", `/deliveries/${event.body.deliveries[0].id}`)).body;
}

describe("durian listen", () => {
  it("forwards a delivery that verifies with the printed secret, and records the local answer as the attempt", async () => {
    const local = await receiver(201);
    const { cli, secret, listenerId } = await listen([
      "--forward",
      `${local.url}/webhooks`,
      "--name",
      "verify",
    ]);

    const eventId = await sendEvent({ name: "Joe", address: "Queens" });
    await vi.waitFor(() => expect(local.requests).toHaveLength(1), WAIT);
    const [request] = local.requests;
    expect(request!.path).toBe("/webhooks");
    expect(request!.headers["durian-event-id"]).toBe(eventId);
    await expect(verifyWebhook({ secret, headers: request!.headers, body: request!.body })).resolves.toEqual({
      name: "Joe",
      address: "Queens",
    });

    // One line per delivery: time, hook, event id, local status, duration.
    await vi.waitFor(
      () => expect(cli.stdout()).toMatch(new RegExp(`person  ${eventId}  201  \\d+ ms`)),
      WAIT,
    );
    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ listenerId, status: "succeeded", attemptCount: 1, lastStatusCode: 201 });
    expect(delivery.attempts[0]).toMatchObject({
      number: 1,
      requestUrl: `${local.url}/webhooks`,
      responseStatus: 201,
      responseBody: "local 201",
      errorClass: null,
    });
    expect(delivery.attempts[0].requestHeaders["webhook-id"]).toBe(request!.headers["webhook-id"]);
  });

  it("killed and started again, receives what was sent while it was away", async () => {
    const local = await receiver();
    const args = ["--forward", local.url, "--name", "resume"];
    const first = await listen(args);
    const before = await sendEvent({ name: "Before" });
    await vi.waitFor(() => expect(first.cli.stdout()).toContain(before), WAIT);
    await first.cli.kill("SIGKILL");

    const meanwhile = await sendEvent({ name: "Meanwhile" });
    expect((await deliveryOf(meanwhile)).status).toBe("pending");

    const second = await listen(args);
    expect(second.cli.stderr()).toContain(`Reusing relay listener ${first.listenerId}`);
    expect(second.secret).toBe(first.secret);
    await vi.waitFor(() => expect(second.cli.stdout()).toContain(`${meanwhile}  200`), WAIT);
    expect(local.requests.map((request) => JSON.parse(request.body))).toEqual([
      { name: "Before" },
      { name: "Meanwhile" },
    ]);
    await verifyWebhook({
      secret: second.secret,
      headers: local.requests[1]!.headers,
      body: local.requests[1]!.body,
    });
    expect(await deliveryOf(meanwhile)).toMatchObject({ status: "succeeded", attemptCount: 1 });
  });

  it("hands out again at once what a killed CLI was forwarding, with the same webhook-id", async () => {
    // The first request is never answered: the CLI is killed while it waits.
    const local = await startReceiver((_, response, index) => index > 0 && response.end());
    receivers.push(local);
    const args = ["--forward", local.url, "--name", "mid-forward"];
    const first = await listen(args);
    const eventId = await sendEvent({ name: "In flight" });
    await vi.waitFor(() => expect(local.requests).toHaveLength(1), WAIT);
    await first.cli.kill("SIGKILL");

    // Well within the hand-out's lease (the hook's 10 s timeout plus 30 s): the ended stream gave it back.
    const second = await listen(args);
    await vi.waitFor(() => expect(second.cli.stdout()).toContain(`${eventId}  200`), WAIT);
    expect(local.requests[1]!.headers["webhook-id"]).toBe(local.requests[0]!.headers["webhook-id"]);
    expect(await deliveryOf(eventId)).toMatchObject({ status: "succeeded", attemptCount: 1 });
  });

  it("reconnects when the connection to Durian drops, and receives what was sent meanwhile", async () => {
    const local = await receiver();
    const proxy = await dropableProxy(new URL(server.url).port);
    try {
      const cli = startCli(["listen", "person", "--forward", local.url, "--name", "reconnect"], {
        DURIAN_URL: proxy.url,
      });
      await vi.waitFor(() => expect(cli.stderr()).toContain("Ready!"), WAIT);
      const before = await sendEvent({ name: "Before the drop" });
      await vi.waitFor(() => expect(cli.stdout()).toContain(`${before}  200`), WAIT);

      proxy.dropAll();
      const meanwhile = await sendEvent({ name: "During the drop" });
      await vi.waitFor(() => expect(cli.stderr()).toMatch(/lost the stream .*reconnecting in/), WAIT);
      await vi.waitFor(() => expect(cli.stdout()).toContain(`${meanwhile}  200`), WAIT);
      expect(cli.stderr()).toContain("reconnected");
    } finally {
      await proxy.close();
    }
  });

  it("waits for the local answer as long as the hook's timeout, then records a timeout", async () => {
    const slow = await api.call("PUT", "/hooks/slow", { body: { providesArgs: ["name"], timeoutMs: 1000 } });
    expect(slow.status).toBe(201);
    const hanging = await startReceiver(() => undefined);
    receivers.push(hanging);
    const cli = startCli(["listen", "slow", "--forward", hanging.url, "--name", "timeout"]);
    await vi.waitFor(() => expect(cli.stderr()).toContain("Ready!"), WAIT);
    const sent = await api.call("POST", "/hooks/slow/events", { body: { payload: { name: "Slow" } } });
    const eventId = sent.body.eventId as string;
    await vi.waitFor(
      () => expect(cli.stdout()).toMatch(new RegExp(`slow  ${eventId}  timeout .*retry at`)),
      WAIT,
    );
    const delivery = await deliveryOf(eventId);
    expect(delivery.attempts[0]).toMatchObject({ errorClass: "timeout", responseStatus: null });
    expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(1000);
  });

  it("records a local receiver that is down as a failed attempt, and the delivery waits for its retry", async () => {
    const port = await unusedPort();
    const { cli } = await listen(["--forward", `http://127.0.0.1:${port}/hooks`, "--name", "down"]);
    const eventId = await sendEvent({ name: "Nobody home" });
    await vi.waitFor(() => expect(cli.stdout()).toMatch(new RegExp(`${eventId}  refused .*retry at`)), WAIT);
    const delivery = await deliveryOf(eventId);
    expect(delivery).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: null });
    expect(delivery.attempts[0]).toMatchObject({ errorClass: "refused", responseStatus: null });
    expect(new Date(delivery.nextAttemptAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("stops with a message naming the API key when the key is refused", async () => {
    const cli = startCli(["listen", "person", "--forward", "http://127.0.0.1:9/x"], {
      DURIAN_API_KEY: "durian_not_a_key",
    });
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/401[\s\S]*Check the API key/);
  });

  it("names an unknown hook", async () => {
    const cli = startCli(["listen", "nothing-here", "--forward", "http://127.0.0.1:9/x"]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain('Hook "nothing-here" not found');
  });

  it("stops, saying why, when its relay listener is deleted while it listens", async () => {
    const local = await receiver();
    const { cli, listenerId } = await listen(["--forward", local.url, "--name", "deleted"]);
    expect((await api.call("DELETE", `/listeners/${listenerId}`)).status).toBe(204);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain("The relay listener was deleted");
    expect(cli.stderr()).toContain("Relay listener not found");
  });

  it("deletes its relay listener on Ctrl-C with --forget", async () => {
    const local = await receiver();
    const { cli, listenerId } = await listen(["--forward", local.url, "--name", "forget", "--forget"]);
    expect(await cli.kill("SIGINT")).toBe(0);
    expect(cli.stderr()).toContain(`Deleted relay listener ${listenerId}`);
    expect((await api.call("GET", `/listeners/${listenerId}`)).status).toBe(404);
  });
});

describe("durian trigger and durian tail", () => {
  it("sends an event, and tail prints a line for its attempt", async () => {
    const local = await receiver(202);
    await listen(["--forward", local.url, "--name", "tail"]);
    const tail = startCli(["tail", "--hook", "person"]);
    await vi.waitFor(() => expect(tail.stderr()).toContain("Following deliveries"), WAIT);

    const trigger = startCli(["trigger", "person", "--data", '{"name": "Ann"}']);
    expect(await trigger.exited).toBe(0);
    const eventId = trigger.stdout().match(/^event (\S+)/)?.[1];
    expect(eventId, trigger.stdout() + trigger.stderr()).toBeDefined();
    expect((await api.call("GET", `/events/${eventId}`)).body.payload).toEqual({ name: "Ann" });

    await vi.waitFor(
      () =>
        expect(tail.stdout()).toMatch(new RegExp(`person  ${eventId}  202  \\d+ ms  attempt 1, succeeded`)),
      WAIT,
    );
  });

  it("with --since, prints the attempts since then oldest first, then follows without repeating one", async () => {
    const local = await receiver(202);
    await listen(["--forward", local.url, "--name", "tail since"]);
    const delivered = async (name: string) => {
      const eventId = await sendEvent({ name });
      await vi.waitFor(async () => expect((await deliveryOf(eventId)).status).toBe("succeeded"), WAIT);
      return eventId;
    };
    const before = await delivered("Before");
    const since = new Date().toISOString();
    const first = await delivered("First");
    const second = await delivered("Second");

    const tail = startCli(["tail", "--hook", "person", "--since", since]);
    const printedEvents = () =>
      [...tail.stdout().matchAll(/^\S+ \S+  person  (\S+)  202 /gm)].map((m) => m[1]);
    await vi.waitFor(() => expect(printedEvents()).toEqual([first, second]), WAIT);
    const third = await delivered("Third");
    await vi.waitFor(() => expect(printedEvents()).toEqual([first, second, third]), WAIT);

    const lastTenMinutes = startCli(["tail", "--hook", "person", "--since", "10m"]);
    await vi.waitFor(() => expect(lastTenMinutes.stdout()).toContain(`person  ${before}  202`), WAIT);
  });

  it("refuses a --since that is neither a duration nor a time, naming it", async () => {
    const tail = startCli(["tail", "--since", "yesterday"]);
    expect(await tail.exited).toBe(2);
    expect(tail.stderr()).toContain("--since takes a duration (90s, 10m, 2h, 1d) or an ISO 8601 time");
    expect(tail.stderr()).toContain('got "yesterday"');
  });

  it("refuses a payload that is not a JSON object, naming the option", async () => {
    const trigger = startCli(["trigger", "person", "--data", "[1]"]);
    expect(await trigger.exited).toBe(2);
    expect(trigger.stderr()).toContain("--data must be a JSON object");
  });
});
