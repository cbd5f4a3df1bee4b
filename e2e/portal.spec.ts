import http from "node:http";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { baseURL, receiverPort } from "../playwright.config";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// The customer portal as an app embeds it: a page of the app's own (another origin, served here)
// frames a portal link; the customer works inside the frame. And what it must refuse.

/** Another origin on 127.0.0.1, near the server's port, for the embedding app's pages. */
const EMBED_PORT = Number(new URL(baseURL).port) + 5;
const allowedOrigin = `http://127.0.0.1:${EMBED_PORT}`;
/** An origin the project does not list. */
const DISALLOWED_PORT = EMBED_PORT + 1;

interface Project {
  projectId: string;
  /** Signed in as the project's owner. */
  page: Page;
  call(method: string, path: string, data?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read fields freely
}

/** A signed-up user's project, driven through /api/v1 with the session (from the app's own origin). */
async function newProject(browser: Browser, name: string): Promise<Project> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signUp(page, { name, email: uniqueEmail(name.toLowerCase()) });
  const projectId = projectIdFromUrl(page);
  const request: APIRequestContext = page.request;
  return {
    projectId,
    page,
    async call(method, path, data) {
      const separator = path.includes("?") ? "&" : "?";
      const response = await request.fetch(`/api/v1${path}${separator}projectId=${projectId}`, {
        method,
        data,
        headers: { origin: baseURL, "content-type": "application/json" },
      });
      const text = await response.text();
      return { status: response.status(), body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Serves a page that frames `?src=` (the embedding app's page), on 127.0.0.1:port. */
async function startEmbeddingSite(port: number): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const src = new URL(request.url ?? "/", `http://127.0.0.1:${port}`).searchParams.get("src") ?? "";
    const attribute = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.end(
      `<!doctype html><html lang="en"><title>Acme settings</title><h1>Acme settings</h1>` +
        `<iframe title="Webhooks" src="${attribute}" style="width:100%;height:1400px;border:0"></iframe></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

/** The receiver deliveries reach: answers `firstStatus` to the first request, then 200. */
async function startReceiver(firstStatus = 500): Promise<{ server: http.Server; bodies: string[] }> {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      bodies.push(body);
      response.statusCode = bodies.length === 1 ? firstStatus : 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(receiverPort, "127.0.0.1", resolve));
  return { server, bodies };
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function portalLink(project: Project, customer: string, expiresIn?: number): Promise<string> {
  const response = await project.call("POST", "/portal/links", { customer, expiresIn });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.url;
}

async function openFramed(page: Page, port: number, url: string) {
  await page.goto(`http://127.0.0.1:${port}/?src=${encodeURIComponent(url)}`);
  return page.frameLocator('iframe[title="Webhooks"]');
}

let acme: Project;
let rival: Project;
let embeddingSite: http.Server;
let disallowedSite: http.Server;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  acme = await newProject(browser, "Acme");
  rival = await newProject(browser, "Rival");
  for (const project of [acme, rival]) {
    expect(
      (
        await project.call("PUT", "/hooks/order.paid", {
          providesArgs: ["total", "currency"],
          retrySchedule: [3600],
        })
      ).status,
    ).toBe(201);
  }
  const settings = await acme.call("PUT", "/portal/settings", {
    allowedOrigins: [allowedOrigin],
    theme: { name: "Acme Webhooks", primaryColor: "#1d4ed8" },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  embeddingSite = await startEmbeddingSite(EMBED_PORT);
  disallowedSite = await startEmbeddingSite(DISALLOWED_PORT);
});

test.afterAll(async () => {
  await Promise.all([embeddingSite, disallowedSite].filter(Boolean).map(close));
});

test("a customer creates a listener through the generated form inside a frame on an allowed origin", async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    const url = await portalLink(acme, "cus_alice");
    const portal = await openFramed(page, EMBED_PORT, url);
    await expect(portal.getByTestId("portal-name")).toHaveText("Acme Webhooks");
    await expect(portal.getByText("No listeners yet")).toBeVisible();

    await portal.getByRole("link", { name: "Add a listener to order.paid" }).click();
    await expect(portal.getByRole("heading", { name: "New listener on order.paid" })).toBeVisible();
    // The form generated from providesArgs: one row per field.
    await portal.getByLabel("Condition on currency").selectOption({ label: "is" });
    await portal.getByLabel("Value for currency").fill("EUR");
    await portal.getByLabel("Name (optional)").fill("Alice's books");
    await portal.getByLabel("URL").fill(`http://127.0.0.1:${receiverPort}/alice`);
    await portal.getByRole("button", { name: "Create listener" }).click();

    await expect(portal.getByRole("heading", { name: "Alice's books" })).toBeVisible();
    await expect(portal.getByText('{"currency":{"$is":"EUR"}}')).toBeVisible();
    const listed = await acme.call("GET", "/listeners?customer=cus_alice");
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      name: "Alice's books",
      customer: "cus_alice",
      hook: "order.paid",
      filter: { currency: { $is: "EUR" } },
    });
    await snapshot(page, "portal-01-created-in-frame");

    // A matching event: its first attempt fails (500); the customer sees it and retries it.
    const sent = await acme.call("POST", "/hooks/order.paid/events", {
      payload: { total: 12, currency: "EUR" },
    });
    expect(sent.status).toBe(202);
    const deliveries = portal.getByRole("list", { name: "Deliveries, newest first" });
    await expect(deliveries.getByText("HTTP 500")).toBeVisible({ timeout: 20_000 });
    await deliveries.getByRole("button", { name: /attempts of delivery/ }).click();
    await expect(portal.getByRole("heading", { name: /Attempt 1/ })).toBeVisible();
    await deliveries.getByRole("button", { name: "Retry" }).click();
    await expect(deliveries.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
    expect(receiver.bodies).toHaveLength(2);

    // The secret: rotated from the portal, revealed in it.
    await portal.getByRole("button", { name: "Rotate" }).click();
    await portal.getByRole("button", { name: "Rotate secret" }).click();
    await expect(portal.getByTestId("listener-secret")).toHaveText(/^whsec_/);
    await snapshot(page, "portal-02-delivery-retried");
  } finally {
    await close(receiver.server);
  }
});

test("a listener disabled by a 410 says why in the portal, and re-enabling and recovering delivers again", async ({
  page,
}) => {
  const receiver = await startReceiver(410);
  try {
    const url = await portalLink(acme, "cus_frank");
    const listener = await acme.call("POST", "/listeners", {
      hook: "order.paid",
      url: `http://127.0.0.1:${receiverPort}/frank`,
      customer: "cus_frank",
      filter: { currency: { $is: "USD" } },
    });
    expect(listener.status, JSON.stringify(listener.body)).toBe(201);
    const sent = await acme.call("POST", "/hooks/order.paid/events", {
      payload: { total: 5, currency: "USD" },
    });
    expect(sent.status).toBe(202);
    await expect
      .poll(async () => (await acme.call("GET", `/listeners/${listener.body.id}`)).body.enabled, {
        timeout: 30_000,
      })
      .toBe(false);

    const portal = await openFramed(page, EMBED_PORT, `${url}/listeners/${listener.body.id}`);
    const banner = portal.getByRole("status").filter({ hasText: "Disabled: no events are delivered" });
    await expect(banner).toBeVisible();
    await expect(
      banner.getByText("Reason: The endpoint answered 410 Gone; the listener was disabled."),
    ).toBeVisible();
    // Shown by the client's own query: the page is interactive (a click before hydration would be lost).
    const deliveries = portal.getByRole("list", { name: "Deliveries, newest first" });
    await expect(deliveries.getByText("HTTP 410")).toBeVisible();
    await snapshot(page, "portal-05-disabled-banner");

    await banner.getByRole("button", { name: "Re-enable and recover" }).click();
    await expect(
      portal.getByText("Enabled again. 1 failed delivery is being attempted again."),
    ).toBeVisible();
    await expect(portal.getByText("Disabled: no events are delivered")).toHaveCount(0);
    await expect(deliveries.getByText("Succeeded")).toBeVisible({ timeout: 20_000 });
    expect(receiver.bodies).toHaveLength(2);
    expect((await acme.call("GET", `/listeners/${listener.body.id}`)).body.enabled).toBe(true);
    await snapshot(page, "portal-06-reenabled-and-recovered");
  } finally {
    await close(receiver.server);
  }
});

test("refuses an expired link, a revoked link, and another customer's or project's listener", async ({
  page,
}) => {
  const alice = await portalLink(acme, "cus_alice");
  const bobs = await acme.call("POST", "/listeners", {
    hook: "order.paid",
    url: "https://example.com/bob",
    customer: "cus_bob",
  });
  const rivals = await rival.call("POST", "/listeners", {
    hook: "order.paid",
    url: "https://example.com/rival",
    customer: "cus_alice",
  });
  for (const listenerId of [bobs.body.id, rivals.body.id]) {
    const response = await page.goto(`${alice}/listeners/${listenerId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("portal-not-found")).toBeVisible();
    await expect(page.getByText("example.com")).toHaveCount(0);
  }
  // Nor through the portal's API, whatever id it is asked for.
  const token = alice.split("/").pop()!;
  for (const listenerId of [bobs.body.id, rivals.body.id]) {
    const input = encodeURIComponent(JSON.stringify({ "0": { json: { id: listenerId } } }));
    const answer = await page.request.get(`/api/portal/trpc/listener.get?batch=1&input=${input}`, {
      headers: { "x-durian-portal-token": token },
    });
    expect(answer.status()).toBe(404);
  }
  await page.goto(alice);
  await expect(page.getByRole("list", { name: "Your listeners" }).getByRole("link")).not.toContainText([
    "example.com/bob",
  ]);

  // Expired: a link of one second, once its second is over.
  const shortLived = await portalLink(acme, "cus_alice", 1);
  await expect(async () => {
    await page.goto(shortLived);
    await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // Revoked: works, then not at all.
  const revoking = await portalLink(acme, "cus_carol");
  await page.goto(revoking);
  await expect(page.getByRole("heading", { name: "Your webhooks" })).toBeVisible();
  const links = await acme.call("GET", "/portal/links?customer=cus_carol");
  expect((await acme.call("DELETE", `/portal/links/${links.body.items[0].id}`)).status).toBe(204);
  await page.reload();
  await expect(page.getByRole("heading", { name: "This link was revoked" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your webhooks" })).toHaveCount(0);
  await snapshot(page, "portal-03-revoked");
});

test("only the project's listed origins may frame the portal", async ({ page }) => {
  const url = await portalLink(acme, "cus_alice");
  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()["x-frame-options"]).toBeUndefined();
  // The URL carries the token: it is not sent on as a Referer.
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response.headers()["content-security-policy"]).toContain(`frame-ancestors ${allowedOrigin}`);
  expect(response.headers()["content-security-policy"]).not.toContain(String(DISALLOWED_PORT));
  // The dashboard still may be framed by nobody.
  const dashboard = await page.request.get("/sign-in");
  expect(dashboard.headers()["x-frame-options"]).toBe("DENY");
  expect(dashboard.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  const refused = page.waitForEvent("console", (message) => message.text().includes("frame-ancestors"));
  const portal = await openFramed(page, DISALLOWED_PORT, url);
  await refused;
  await expect(page.getByRole("heading", { name: "Acme settings" })).toBeVisible();
  await expect(portal.getByTestId("portal-name")).toHaveCount(0);
});

test("members set the portal up in the dashboard and see their customers' listeners", async () => {
  const { page, projectId } = acme;
  await page.goto(`/projects/${projectId}/portal`);
  const origins = page.getByLabel("Origins that may embed the portal");
  await expect(origins).toHaveValue(allowedOrigin);
  await origins.fill(`${allowedOrigin}\nhttps://app.example.com/embed`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByText(/https:\/\/app\.example\.com\/embed: expected exactly scheme:\/\/host/),
  ).toBeVisible();
  await origins.fill(`${allowedOrigin}\nhttps://app.example.com`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  expect((await acme.call("GET", "/portal/settings")).body.allowedOrigins).toEqual([
    allowedOrigin,
    "https://app.example.com",
  ]);

  await page.getByLabel("Customer").fill("cus_dave");
  await page.getByRole("button", { name: "Create a link" }).click();
  const link = await page.getByTestId("new-portal-link").textContent();
  expect(link).toMatch(/\/portal\/dpl_/);
  const links = page.getByRole("list", { name: "Portal links, newest first" });
  await expect(links.getByText("cus_dave")).toBeVisible();
  await snapshot(page, "portal-04-dashboard-settings");

  // The hook's listeners, narrowed to one customer.
  await acme.call("POST", "/listeners", {
    hook: "order.paid",
    url: "https://example.com/dave",
    customer: "cus_dave",
  });
  await page.goto(`/projects/${projectId}/hooks/order.paid`);
  await page.getByRole("textbox", { name: "Customer" }).fill("cus_dave");
  const listed = page.getByRole("region", { name: "Listeners" }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText("example.com/dave");
  await expect(listed.first()).toContainText("Customer cus_dave");
});

test("the portal's pages pass an axe audit against WCAG 2.1 A and AA", async ({ page }) => {
  test.slow();
  const url = await portalLink(acme, "cus_erin");
  await acme.call("POST", "/listeners", {
    hook: "order.paid",
    url: "https://example.com/erin",
    customer: "cus_erin",
  });
  const views: [string, () => Promise<void>][] = [
    ["home", () => page.goto(url).then(() => undefined)],
    ["new listener", () => page.getByRole("link", { name: "Add a listener to order.paid" }).click()],
    [
      "listener",
      async () => {
        await page.goto(url);
        await page.getByRole("link", { name: "example.com/erin" }).click();
      },
    ],
  ];
  for (const [label, open] of views) {
    await open();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(
      violations.map((violation) => `${violation.id}: ${violation.help}`),
      `portal ${label}`,
    ).toEqual([]);
  }
});
