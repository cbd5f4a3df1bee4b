/**
 * What the delivery benchmarks share: a receiver in a child process on 127.0.0.1 that notes when
 * each request arrived (by webhook-id), the ceiling it allows (plain loops of POSTs to it), and
 * percentiles. Run as `--receiver` (by `Receiver.start`), this file is that child.
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { attemptDelivery, parseAllowlist } from "../../src/core/delivery";
import { generateSecret } from "../../src/core/signing";
import type { PrismaClient } from "../../src/generated/prisma/client";

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const preciseNow = () => performance.timeOrigin + performance.now();

type ReceiverMessage = { port: number } | { received: [string, number][] } | { count: number };

function runReceiver(): void {
  let received: [string, number][] = [];
  const hang = process.argv.includes("--hang");
  const server = http.createServer((request, response) => {
    const at = preciseNow();
    request.on("data", () => {});
    request.on("end", () => {
      received.push([String(request.headers["webhook-id"] ?? ""), at]);
      if (hang) return;
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    process.send!({ port: (server.address() as AddressInfo).port } satisfies ReceiverMessage);
  });
  process.on("message", (message) => {
    if (message === "collect") {
      process.send!({ received } satisfies ReceiverMessage);
      received = [];
    } else if (message === "count") {
      process.send!({ count: received.length } satisfies ReceiverMessage);
    }
  });
  process.on("disconnect", () => process.exit(0));
}

export class Receiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** `hang`: it takes every request and never answers (a receiver that hangs). */
  static async start({ hang = false }: { hang?: boolean } = {}): Promise<Receiver> {
    const child = fork(import.meta.filename, ["--receiver", ...(hang ? ["--hang"] : [])], {
      execArgv: ["--import", "tsx"],
      stdio: "inherit",
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (message: ReceiverMessage) =>
        "port" in message ? resolve(message.port) : reject(new Error("no port")),
      );
      child.once("exit", (code) => reject(new Error(`the receiver exited (${code})`)));
    });
    return new Receiver(child, `http://127.0.0.1:${port}`);
  }

  private ask<T extends ReceiverMessage>(
    question: string,
    pick: (message: ReceiverMessage) => T | undefined,
  ) {
    return new Promise<T>((resolve) => {
      const listener = (message: ReceiverMessage) => {
        const answer = pick(message);
        if (answer === undefined) return;
        this.child.off("message", listener);
        resolve(answer);
      };
      this.child.on("message", listener);
      this.child.send(question);
    });
  }

  /** Requests received since the last call: webhook-id → arrival time. */
  async collect(): Promise<Map<string, number>> {
    const message = await this.ask("collect", (m) => ("received" in m ? m : undefined));
    return new Map(message.received);
  }

  /** How many requests arrived since the last `collect`. */
  async count(): Promise<number> {
    return (await this.ask("count", (m) => ("count" in m ? m : undefined))).count;
  }

  stop(): void {
    this.child.disconnect();
  }
}

export type Transport = "fetch" | "core";

/**
 * The ceiling: `requests` POSTs of `body` from `concurrency` plain loops: `fetch` (the benchmarks'
 * reference), or `core`, the node:http client the runner itself sends with (`attemptDelivery`,
 * keep-alive, no database). Returns requests per second.
 */
export async function ceiling(
  receiver: Receiver,
  {
    requests,
    concurrency,
    body,
    transport,
  }: { requests: number; concurrency: number; body: string; transport: Transport },
): Promise<number> {
  const allowlist = parseAllowlist("127.0.0.1");
  const post = async (index: number) => {
    const url = `${receiver.url}/listener/${index}`;
    const headers = { "content-type": "application/json", "webhook-id": `ceiling-${index}` };
    if (transport === "core") {
      const result = await attemptDelivery({ url, headers, body, timeoutMs: 10_000, allowlist });
      if (!result.ok) throw new Error(`ceiling request failed: ${result.errorMessage}`);
      return;
    }
    const response = await fetch(url, { method: "POST", headers, body });
    await response.text();
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) await post(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await receiver.collect();
  return requests / seconds;
}

/** A hook with `count` unfiltered listeners posting to `url`, created in batches. */
export async function seedHookWithListeners(
  db: PrismaClient,
  {
    projectId,
    name,
    count,
    url,
    timeoutMs,
  }: { projectId: string; name: string; count: number; url: string; timeoutMs?: number },
) {
  const hook = await db.hook.create({
    data: { projectId, name, providesArgs: ["name", "email"], timeoutMs },
  });
  const secret = generateSecret();
  for (let start = 0; start < count; start += 10_000) {
    await db.listener.createMany({
      data: Array.from({ length: Math.min(10_000, count - start) }, (_, offset) => ({
        projectId,
        hookId: hook.id,
        url: `${url}/listener/${start + offset}`,
        secret,
      })),
    });
  }
  const listeners = await db.listener.findMany({ where: { hookId: hook.id }, select: { id: true } });
  return { hook, listenerIds: listeners.map((listener) => listener.id) };
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv.includes("--receiver")) runReceiver();
