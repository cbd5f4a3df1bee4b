import http from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for the Inngest API on 127.0.0.1 that only records what the SDK sends it: function
// registrations (`/fn/register`) and events (`/e/<event key>`). It executes nothing.

export interface CapturedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface InngestStub {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startInngestStub(): Promise<InngestStub> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Kept as text.
      }
      const path = incoming.url ?? "";
      requests.push({ method: incoming.method ?? "", path, headers: incoming.headers, body });
      response.setHeader("content-type", "application/json");
      if (path.startsWith("/fn/register")) {
        response.end(JSON.stringify({ ok: true, modified: true }));
      } else if (path.startsWith("/e/")) {
        const events = Array.isArray(body) ? body : [body];
        response.end(
          JSON.stringify({ ids: events.map((_, index) => `stub-${requests.length}-${index}`), status: 200 }),
        );
      } else {
        response.statusCode = 404;
        response.end(JSON.stringify({ error: `the stub does not serve ${path}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
