import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApiRequest } from "@/server/rest/dispatch";

export interface ServedApi {
  /** `http://127.0.0.1:<port>`; the API is under /api/v1. */
  url: string;
  close(): Promise<void>;
}

/**
 * The /api/v1 handler Next serves, behind a real HTTP server on 127.0.0.1 (without starting Next), so
 * headers, bodies and statuses cross a real socket. The database and runner are the test's own
 * (see api-harness.ts).
 */
export async function serveApi(): Promise<ServedApi> {
  let url = "";
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const method = incoming.method ?? "GET";
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    // The client leaving aborts the request, as Next does (a stream then ends).
    const left = new AbortController();
    outgoing.on("close", () => left.abort());
    const request = new Request(`${url}${incoming.url}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
      signal: left.signal,
    });
    const response = await handleApiRequest(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    // Streamed as the handler writes it, so Server-Sent Events arrive one by one.
    if (response.body) {
      const reader = response.body.getReader();
      try {
        for (let read = await reader.read(); !read.done; read = await reader.read())
          outgoing.write(read.value);
      } catch {
        // The client left mid-stream.
      }
    }
    outgoing.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
