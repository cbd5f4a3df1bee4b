import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllowlist, EMPTY_ALLOWLIST } from "./allowlist";
import { attemptDelivery, MAX_RESPONSE_BODY_BYTES } from "./attempt";
import type { ResolveHost } from "./destination";
import { startReceiver, type TestReceiver, unusedPort } from "@/testing/receiver";

const LOCAL = parseAllowlist("127.0.0.1");
const receivers: TestReceiver[] = [];

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((started) => started.close()));
});

const post = (url: string, overrides: Partial<Parameters<typeof attemptDelivery>[0]> = {}) =>
  attemptDelivery({
    url,
    headers: { "content-type": "application/json", "webhook-id": "dlv_1" },
    body: '{"name":"John"}',
    timeoutMs: 5_000,
    allowlist: LOCAL,
    ...overrides,
  });

describe("attemptDelivery against real receivers on 127.0.0.1", () => {
  it("POSTs the body and headers and records a 2xx response", async () => {
    const target = await receiver((_, response) => {
      response.setHeader("x-receiver", "yes");
      response.end("thanks");
    });
    const result = await post(`${target.url}/hooks?x=1`);
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      responseBody: "thanks",
      responseBodyTruncated: false,
      errorClass: null,
      errorMessage: null,
    });
    expect(result.responseHeaders?.["x-receiver"]).toBe("yes");
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]).toMatchObject({ method: "POST", path: "/hooks?x=1", body: '{"name":"John"}' });
    expect(target.requests[0]?.headers["webhook-id"]).toBe("dlv_1");
    expect(target.requests[0]?.headers["content-length"]).toBe("15");
  });

  it("classifies a 500 as an http error and keeps the response body", async () => {
    const target = await receiver((_, response) => {
      response.statusCode = 500;
      response.end("boom");
    });
    const result = await post(target.url);
    expect(result).toMatchObject({ ok: false, status: 500, errorClass: "http", responseBody: "boom" });
    expect(result.errorMessage).toContain("HTTP 500");
  });

  it("gives up on a slow receiver with a timeout", async () => {
    const target = await receiver(() => {
      // never answers
    });
    const result = await post(target.url, { timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, status: null, errorClass: "timeout" });
    expect(target.requests).toHaveLength(1);
  });

  it("keeps the status when the body stalls past the timeout", async () => {
    const target = await receiver((_, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("partial");
    });
    const result = await post(target.url, { timeoutMs: 300 });
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      errorClass: null,
      responseBody: "partial",
      responseBodyTruncated: true,
    });
    expect(result.errorMessage).toMatch(/timed out .* response body/);
  });

  it("records 410 Gone and 429 with Retry-After as http errors with their headers", async () => {
    const gone = await receiver((_, response) => {
      response.statusCode = 410;
      response.end();
    });
    const limited = await receiver((_, response) => {
      response.writeHead(429, { "retry-after": "120" });
      response.end();
    });
    expect(await post(gone.url)).toMatchObject({ status: 410, errorClass: "http" });
    const throttled = await post(limited.url);
    expect(throttled).toMatchObject({ status: 429, errorClass: "http" });
    expect(throttled.responseHeaders?.["retry-after"]).toBe("120");
  });

  it("never follows a redirect", async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver((_, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/moved` });
      response.end();
    });
    const result = await post(redirecting.url);
    expect(result).toMatchObject({ ok: false, status: 307, errorClass: "http" });
    expect(result.responseHeaders?.location).toBe(`${elsewhere.url}/moved`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("keeps only the first 64 KB of a large response body", async () => {
    const big = "a".repeat(MAX_RESPONSE_BODY_BYTES) + "b".repeat(200_000);
    const target = await receiver((_, response) => response.end(big));
    const result = await post(target.url);
    expect(result.status).toBe(200);
    expect(result.responseBody).toHaveLength(MAX_RESPONSE_BODY_BYTES);
    expect(result.responseBody).not.toContain("b");
    expect(result.responseBodyTruncated).toBe(true);
  });

  it("does not mark a body of exactly 64 KB as truncated", async () => {
    const target = await receiver((_, response) => response.end("c".repeat(MAX_RESPONSE_BODY_BYTES)));
    const result = await post(target.url);
    expect(result.responseBody).toHaveLength(MAX_RESPONSE_BODY_BYTES);
    expect(result.responseBodyTruncated).toBe(false);
  });

  it("keeps a response body PostgreSQL can store: NUL and invalid UTF-8 become U+FFFD", async () => {
    const target = await receiver((_, response) =>
      response.end(Buffer.concat([Buffer.from("a\u0000b"), Buffer.from([0xff]), Buffer.from("é")])),
    );
    const result = await post(target.url);
    expect(result.responseBody).toBe("a\uFFFDb\uFFFDé");
  });

  it("classifies a closed port as refused", async () => {
    const port = await unusedPort();
    const result = await post(`http://127.0.0.1:${port}/`);
    expect(result).toMatchObject({ ok: false, status: null, errorClass: "refused" });
    expect(result.errorMessage).toContain("ECONNREFUSED");
  });

  it("classifies an unresolvable host as dns", async () => {
    const result = await post("http://durian-test-host.invalid/hook", { allowlist: EMPTY_ALLOWLIST });
    expect(result).toMatchObject({ ok: false, status: null, errorClass: "dns" });
  });

  it("classifies a TLS handshake with a plain HTTP server as tls", async () => {
    const target = await receiver();
    const result = await post(`https://127.0.0.1:${target.port}/`);
    expect(result).toMatchObject({ ok: false, status: null, errorClass: "tls" });
  });

  it("blocks loopback without an allowlist and sends nothing; allows it when listed", async () => {
    const target = await receiver();
    const blocked = await post(target.url, { allowlist: EMPTY_ALLOWLIST });
    expect(blocked).toMatchObject({ ok: false, status: null, errorClass: "blocked" });
    expect(blocked.errorMessage).toContain("loopback");
    const byName = await post(`http://localhost:${target.port}/`, { allowlist: EMPTY_ALLOWLIST });
    expect(byName.errorClass).toBe("blocked");
    expect(target.requests).toHaveLength(0);

    expect(await post(target.url, { allowlist: parseAllowlist("127.0.0.0/8") })).toMatchObject({ ok: true });
    expect(await post(`http://localhost:${target.port}/`, { allowlist: LOCAL })).toMatchObject({ ok: true });
    expect(target.requests).toHaveLength(2);
  });

  it("allows only the listed port of a host when the allowlist names one", async () => {
    const listed = await receiver();
    const other = await receiver();
    const allowlist = parseAllowlist(`127.0.0.1:${listed.port},localhost:${listed.port}`);
    expect(await post(listed.url, { allowlist })).toMatchObject({ ok: true });
    expect(await post(`http://localhost:${listed.port}/`, { allowlist })).toMatchObject({ ok: true });
    const blocked = await post(other.url, { allowlist });
    expect(blocked).toMatchObject({ ok: false, errorClass: "blocked" });
    expect(blocked.errorMessage).toContain(`for port ${other.port}`);
    expect((await post(`http://localhost:${other.port}/`, { allowlist })).errorClass).toBe("blocked");
    const byResolvedName = await post(`http://innocent.example:${other.port}/`, {
      allowlist,
      resolveHost: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(byResolvedName.errorClass).toBe("blocked");
    expect(listed.requests).toHaveLength(2);
    expect(other.requests).toHaveLength(0);
  });

  it("checks the address it connects to, not only the name (DNS rebinding)", async () => {
    const target = await receiver();
    const rebinding: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
    const url = `http://innocent.example:${target.port}/`;
    const blocked = await post(url, { allowlist: EMPTY_ALLOWLIST, resolveHost: rebinding });
    expect(blocked).toMatchObject({ errorClass: "blocked" });
    expect(blocked.errorMessage).toContain("innocent.example resolves to 127.0.0.1");
    expect(target.requests).toHaveLength(0);

    const allowedByName = await post(url, {
      allowlist: parseAllowlist("innocent.example"),
      resolveHost: rebinding,
    });
    expect(allowedByName).toMatchObject({ ok: true });
    expect(target.requests).toHaveLength(1);
  });

  it("blocks literal metadata and IPv4-mapped loopback URLs before connecting", async () => {
    const metadata = await post("http://169.254.169.254/latest/meta-data/", { allowlist: EMPTY_ALLOWLIST });
    expect(metadata).toMatchObject({ errorClass: "blocked" });
    expect(metadata.errorMessage).toContain("cloud metadata");
    const mapped = await post("http://[::ffff:127.0.0.1]:9/", { allowlist: EMPTY_ALLOWLIST });
    expect(mapped).toMatchObject({ errorClass: "blocked" });
    const badScheme = await post("file:///etc/passwd", { allowlist: EMPTY_ALLOWLIST });
    expect(badScheme).toMatchObject({ errorClass: "blocked" });
  });

  it("reuses a kept-alive connection for consecutive attempts to the same receiver", async () => {
    const target = await receiver((_, response) => response.end("ok"));
    for (let index = 0; index < 3; index++) expect((await post(target.url)).ok).toBe(true);
    expect(target.requests).toHaveLength(3);
    expect(new Set(target.requests.map((request) => request.remotePort)).size).toBe(1);
  });

  it("sends again on a fresh connection when a kept-alive one turns out to be closed", async () => {
    // Answers the first request on each connection, then drops the connection on the next one,
    // as a receiver does when it closes an idle connection just as it is reused.
    const requestsPerSocket = new Map<unknown, number>();
    let answered = 0;
    const server = http.createServer((request, response) => {
      const count = (requestsPerSocket.get(request.socket) ?? 0) + 1;
      requestsPerSocket.set(request.socket, count);
      if (count > 1) return request.socket.destroy();
      answered++;
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect((await post(url)).ok).toBe(true);
      const second = await post(url);
      expect(second).toMatchObject({ ok: true, status: 200 });
      expect(answered).toBe(2);
      expect(requestsPerSocket.size).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
