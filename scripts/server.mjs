/**
 * Durian's HTTP server: Next's request handler behind Node's own `http` server, so that Durian, not
 * `next start`, decides what a stop does. `next start` exits at once on SIGTERM, resetting the
 * requests under way and leaving the embedded database and the runner's claims open.
 *
 * On SIGTERM or SIGINT, within DURIAN_SHUTDOWN_TIMEOUT_MS: take no new work (a request that arrives
 * is answered 503 with Retry-After), let the requests under way finish while the delivery runner
 * stops, stop listening, close the database, exit 0. Past the deadline the remaining connections are
 * cut and the exit status is 1.
 *
 * Serves the current build (`npm start` builds it first) from the working directory, on PORT and
 * HOSTNAME (all interfaces when unset). Plain JavaScript run by plain Node: the app's code is loaded
 * from Next's build, and the stop reaches it through hooks it registers (src/server/shutdown.ts).
 * /api/v1 is served by the handler the app registers (src/server/rest/serve.ts says why), not
 * through Next's router; every other path is Next's.
 */
import { createServer, ServerResponse, STATUS_CODES } from "node:http";
import { Server as NetServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequestListener } from "@remix-run/node-fetch-server";
import compression from "compression";

// As `next start` does: the build is a production build, and React picks its build from NODE_ENV.
process.env.NODE_ENV ||= "production";
const { default: next } = await import("next");

/** Used only when the app registered no hooks (it validates DURIAN_SHUTDOWN_TIMEOUT_MS itself). */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Of the stop's deadline, kept for closing the database after the requests and the runner. */
const DATABASE_CLOSE_SHARE = 0.2;
const DATABASE_CLOSE_MAX_MS = 2_000;
/**
 * The listener closes once no connection came for this long: closing it resets the connections the
 * kernel has queued, and clients whose last request just finished are likely to be connecting again.
 */
const QUIET_BEFORE_CLOSE_MS = 250;
/** Told to requests that arrive while the server stops: come back then (to this server restarted, or another). */
const STOPPING_RETRY_AFTER_SECONDS = 5;

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || undefined;
const log = (line) => console.log(`durian: ${line}`);

/** Requests accepted before the stop, until their response is finished or abandoned. */
const underWay = new Set();
let lastRequestDone = () => {};
/** Open connections: requests under way on each, and whether it has answered one already. */
const connections = new Map();
let lastConnectionAt = 0;
let stopping = false;

/**
 * Sends the status's standard reason phrase ("200 OK") when none is given: a fetch `Response` has an
 * empty `statusText` unless one is set, and the API's answers would otherwise read "HTTP/1.1 200 ".
 */
class ResponseWithReasonPhrase extends ServerResponse {
  writeHead(statusCode, reason, ...rest) {
    return reason === ""
      ? super.writeHead(statusCode, STATUS_CODES[statusCode], ...rest)
      : super.writeHead(statusCode, reason, ...rest);
  }
}

const server = createServer({ ServerResponse: ResponseWithReasonPhrase }, (request, response) => {
  const connection = connections.get(request.socket);
  connection.active++;
  response.once("close", () => {
    connection.active--;
    connection.answered = true;
    if (stopping) endIfIdle(request.socket);
  });
  if (stopping) {
    // Read to the end first: closing a connection with unread data resets it, answer included.
    request.resume();
    request.once("end", () => answerStopping(response));
    return;
  }
  underWay.add(response);
  response.once("close", () => {
    underWay.delete(response);
    if (underWay.size === 0) lastRequestDone();
  });
  const serveApi = apiListener(request.url);
  if (serveApi) {
    serveApi(request, response);
    return;
  }
  handle(request, response).catch((error) => {
    console.error("durian: unhandled error while serving", request.url, error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});

const app = next({
  dev: false,
  dir: process.cwd(),
  hostname: hostname ?? "localhost",
  port,
  httpServer: server,
});
await app.prepare();
const handle = app.getRequestHandler();

/** The app's /api/v1 handler behind a Node request listener, once the app has registered it. */
let apiRequestListener;
function apiListener(url) {
  if (!url.startsWith("/api/v1/")) return undefined;
  const handler = globalThis.__durianApi;
  if (!handler) return undefined;
  if (!apiRequestListener) {
    const listener = createRequestListener(handler, { onError: unhandledApiError });
    apiRequestListener = (request, response) =>
      compressApi(request, response, () => listener(request, response));
  }
  return apiRequestListener;
}

/**
 * Compresses what is worth it as Next does its own answers: what GET reads (lists, the OpenAPI
 * document). Not the writes' answers, a few hundred bytes whose length is not known in advance (a
 * compressor for each would cost more than it saves), nor the relay's Server-Sent Events, which
 * compression would hold back until enough followed them.
 */
const compressApi = compression({
  filter: (request, response) =>
    (request.method === "GET" || request.method === "HEAD") &&
    !String(response.getHeader("content-type") ?? "").startsWith("text/event-stream") &&
    compression.filter(request, response),
});

/** The handler answers its own errors; this is for a request it could not be given (a malformed Host). */
function unhandledApiError(error) {
  console.error("durian: could not serve an API request", error);
  return Response.json(
    {
      type: "https://durian.dev/problems/bad-request",
      title: "Bad Request",
      status: 400,
      detail: "The request could not be read",
    },
    { status: 400, headers: { "content-type": "application/problem+json" } },
  );
}

server.on("connection", (socket) => {
  connections.set(socket, { active: 0, answered: false });
  lastConnectionAt = Date.now();
  socket.once("close", () => connections.delete(socket));
});

/**
 * While stopping, a request that arrives (on a new connection, or one the kernel had queued before
 * the signal) gets a whole answer at once, asking to come back, rather than a reset connection.
 */
function answerStopping(response) {
  response.writeHead(503, {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    "retry-after": String(STOPPING_RETRY_AFTER_SECONDS),
    connection: "close",
  });
  response.end(
    JSON.stringify({
      type: "https://durian.dev/problems/unavailable",
      title: "Service Unavailable",
      status: 503,
      detail: "The server is shutting down; retry shortly",
    }),
  );
}

/**
 * Lets go of a connection with nothing under way: at once for a kept-alive one once stopping; for a
 * new one that has not sent its request yet, only once the listener is closed (closing it earlier
 * would reset a client that did nothing wrong, which is why the stop does not call
 * `http.Server#close`: that destroys such connections at once).
 */
function endIfIdle(socket, { evenUnanswered = false } = {}) {
  const connection = connections.get(socket);
  if (connection && connection.active === 0 && (connection.answered || evenUnanswered)) socket.end();
}

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, hostname, resolve);
});
log(`serving on http://${hostname ?? "localhost"}:${port}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (stopping) {
      log(`${signal}: already stopping`);
      return;
    }
    stop(signal).then(
      (clean) => process.exit(clean ? 0 : 1),
      (error) => {
        console.error("durian: the stop failed", error);
        process.exit(1);
      },
    );
  });
}

/** Resolves true when everything stopped in time. */
async function stop(signal) {
  stopping = true;
  const hooks = globalThis.__durianShutdown;
  const timeoutMs = hooks?.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // Whatever happens below, the process ends by the deadline.
  setTimeout(() => {
    console.error(`durian: not stopped within ${timeoutMs} ms; exiting anyway`);
    process.exit(1);
  }, timeoutMs).unref();
  const workDeadline = deadline - Math.min(timeoutMs * DATABASE_CLOSE_SHARE, DATABASE_CLOSE_MAX_MS);
  log(`${signal}: stopping within ${timeoutMs} ms (${underWay.size} request(s) under way)`);

  // The requests accepted before the signal finish while the runner stops. Meanwhile the listener
  // stays open so that what arrives, or was queued by the kernel, is answered 503 + Retry-After:
  // closing a listener resets the connections still waiting in its accept queue.
  for (const response of underWay) {
    if (!response.headersSent) response.setHeader("connection", "close");
  }
  for (const socket of connections.keys()) endIfIdle(socket);
  const requestsDone =
    underWay.size === 0
      ? Promise.resolve(true)
      : new Promise((resolve) => (lastRequestDone = () => resolve(true)));
  const [requestsFinished, runnerStopped] = await Promise.all([
    beforeDeadline(requestsDone, workDeadline),
    beforeDeadline(
      Promise.resolve(hooks?.stopRunner({ deadlineMs: Math.max(0, workDeadline - Date.now()) })).then(
        () => true,
        (error) => {
          console.error("durian: the delivery runner did not stop cleanly", error);
          return false;
        },
      ),
      workDeadline,
    ),
  ]);

  while (Date.now() - lastConnectionAt < QUIET_BEFORE_CLOSE_MS && Date.now() < workDeadline) {
    await sleep(Math.min(QUIET_BEFORE_CLOSE_MS, workDeadline - Date.now()));
  }
  // New connections are refused from here on. One more turn of the event loop reads the requests of
  // connections already accepted (answered 503); those still silent are then let go.
  const connectionsClosed = new Promise((resolve) =>
    NetServer.prototype.close.call(server, () => resolve(true)),
  );
  await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
  for (const socket of connections.keys()) endIfIdle(socket, { evenUnanswered: true });
  const connectionsDone = requestsFinished && (await beforeDeadline(connectionsClosed, workDeadline));
  if (!connectionsDone) {
    console.error(`durian: ${underWay.size} request(s) still under way at the deadline; cutting them off`);
    server.closeAllConnections();
  }
  if (!runnerStopped) console.error("durian: the delivery runner had not stopped by the deadline");

  await app.close().catch((error) => console.error("durian: closing Next.js failed", error));
  let databaseClosed = true;
  await Promise.resolve(hooks?.closeDatabase()).catch((error) => {
    databaseClosed = false;
    console.error("durian: closing the database failed", error);
  });
  log(databaseClosed ? "database closed; stopped" : "stopped without closing the database");
  return connectionsDone && runnerStopped && databaseClosed;
}

/** `promise`'s outcome, or false when `deadline` (epoch ms) comes first. */
function beforeDeadline(promise, deadline) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
