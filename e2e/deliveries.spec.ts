import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// Journey 3: send events through the SDK endpoint and watch the matching deliveries appear in the
// log (a non-matching event makes none), open an attempt, retry it, and see the request inspector
// receive it with a verified signature. The embedded runner delivers; nothing is mocked.

const HOOK = "order.paid";

function api(request: APIRequestContext, key: string) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return {
    put: (path: string, data: unknown) => request.put(`/api/v1${path}`, { headers, data }),
    post: (path: string, data: unknown) => request.post(`/api/v1${path}`, { headers, data }),
  };
}

/** An API key made with the dashboard session, as the dashboard's API keys page does. */
async function createApiKey(page: Page): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/v1/api-keys", {
    headers: { origin },
    data: { name: "e2e deliveries" },
  });
  expect(response.status()).toBe(201);
  const { key } = (await response.json()) as { key: string };
  return key;
}

async function openSection(page: Page, name: string, heading: string) {
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
}

test("deliveries to the request inspector appear live, can be opened, retried and are seen signed", async ({
  page,
  request,
}) => {
  await signUp(page, { name: "Kramer", email: uniqueEmail("kramer") });
  const projectId = projectIdFromUrl(page);
  const durian = api(request, await createApiKey(page));
  const registered = await durian.put(`/hooks/${HOOK}`, {
    verboseName: "Order paid",
    providesArgs: ["id", "amount", "currency"],
  });
  expect(registered.status()).toBe(201);

  // The inspector: its URL, and nothing received yet.
  await openSection(page, "Inspector", "Request inspector");
  await expect(page.getByText("Nothing received yet.")).toBeVisible();
  const inspectorUrl = await page.getByRole("textbox", { name: "Inspector URL" }).inputValue();
  expect(inspectorUrl).toMatch(new RegExp(`^${new URL(page.url()).origin}/api/inspect/[a-z0-9]+$`));
  await snapshot(page, "deliveries-01-inspector-empty");

  // A listener for euro payments only, delivering to the inspector (loopback, yet allowed: it is the app's own).
  const listener = await durian.post("/listeners", {
    hook: HOOK,
    url: inspectorUrl,
    filter: { currency: "EUR" },
  });
  expect(listener.status()).toBe(201);

  await openSection(page, "Deliveries", "Deliveries");
  await expect(page.getByText("No deliveries yet")).toBeVisible();
  await snapshot(page, "deliveries-02-log-empty");

  // Two events through the SDK endpoint: one the filter refuses, one it accepts.
  // `?wait=` waits for the matching, which runs after the event is accepted, and says how many matched.
  const dollars = await durian.post(`/hooks/${HOOK}/events?wait=5`, {
    payload: { id: "o-1", amount: 12, currency: "USD" },
  });
  expect(dollars.status()).toBe(202);
  expect(await dollars.json()).toMatchObject({ matched: 0 });
  const euros = await durian.post(`/hooks/${HOOK}/events`, {
    payload: { id: "o-2", amount: 30, currency: "EUR" },
  });
  expect(euros.status()).toBe(202);
  const { eventId } = (await euros.json()) as { eventId: string };

  // The matching delivery appears in the log and succeeds, without a reload.
  const log = page.getByRole("table", { name: "Deliveries, newest first" });
  const rows = log.locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-status", "succeeded");
  await expect(rows.first()).toContainText(HOOK);
  await expect(rows.first()).toContainText("200");
  // Two more polls later, still one: the dollar event made no delivery.
  await page.waitForTimeout(2500);
  await expect(rows).toHaveCount(1);
  await snapshot(page, "deliveries-03-log-live-row");

  // The filters narrow the log; a failed-only view is empty.
  await page.getByRole("combobox", { name: "Status" }).selectOption("failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText("No deliveries match these filters")).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(rows).toHaveCount(1);

  // The row says when, with the day: how long ago, the date and time below, the whole date in a tooltip.
  const created = rows.first().getByRole("link", { name: new RegExp(`Delivery of ${HOOK} created`) });
  await expect(created).toContainText(/ago|now/);
  await expect(created.locator("time")).toHaveAttribute("title", /\d{4}/);
  // Open the delivery from anywhere on its row (here its hook's name): attempt, request and response.
  // (A mouse click at that spot: the cell itself is under the row's link, which is the point.)
  const hookCell = await rows.first().getByRole("cell", { name: HOOK, exact: true }).boundingBox();
  await page.mouse.click(hookCell!.x + hookCell!.width / 2, hookCell!.y + hookCell!.height / 2);
  await expect(page.getByRole("heading", { name: `Delivery of ${HOOK}`, level: 1 })).toBeVisible();
  const deliveryId = page.url().split("/deliveries/")[1]!.split("?")[0]!;
  await expect(page.getByRole("tab", { name: "Attempt 1 · 200" })).toHaveAttribute("aria-selected", "true");
  const firstAttempt = page.getByRole("tabpanel");
  await expect(firstAttempt.getByLabel("Request headers of attempt 1", { exact: true })).toContainText(
    "webhook-signature",
  );
  await expect(firstAttempt.getByLabel("Request headers of attempt 1", { exact: true })).toContainText(
    deliveryId,
  );
  await expect(firstAttempt.getByLabel("Request body of attempt 1", { exact: true })).toContainText(
    '"currency": "EUR"',
  );
  await expect(firstAttempt.getByLabel("Response body of attempt 1", { exact: true })).toContainText(
    '"received": true',
  );
  await snapshot(page, "deliveries-04-attempt-detail");

  // Retry: a second attempt arrives on the page by itself.
  await page.getByRole("button", { name: "Retry delivery" }).click();
  await expect(page.getByRole("tab", { name: "Attempt 2 · 200" })).toHaveAttribute("aria-selected", "true");
  await expect(
    page.getByRole("tabpanel").getByLabel("Request headers of attempt 2", { exact: true }),
  ).toContainText(deliveryId);
  await page.getByRole("tab", { name: "Attempt 1 · 200" }).click();
  await expect(page).toHaveURL(/\?attempt=1$/);
  await snapshot(page, "deliveries-05-after-retry");

  // Open the event: its stored payload and its one delivery.
  await page.getByRole("link", { name: "Open event" }).click();
  await expect(page.getByRole("heading", { name: `Event of ${HOOK}`, level: 1 })).toBeVisible();
  await expect(page.getByText(eventId)).toBeVisible();
  await expect(page.getByLabel("Event payload", { exact: true })).toContainText('"amount": 30');
  await expect(page.getByRole("link", { name: /Delivery to/ })).toHaveCount(1);
  await snapshot(page, "deliveries-06-event");

  // The event log has both events; the dollar one was delivered nowhere.
  await openSection(page, "Events", "Events");
  const events = page.getByRole("table", { name: "Events, newest first" }).locator("tbody tr");
  await expect(events).toHaveCount(2);
  await expect(events.filter({ hasText: '"USD"' })).toContainText("none matched");
  await events.filter({ hasText: '"USD"' }).getByRole("link").click();
  await expect(page.getByText("No listener matched this event")).toBeVisible();
  await openSection(page, "Events", "Events");
  await snapshot(page, "deliveries-07-events");

  // The inspector received both attempts, each signed with the listener's secret, same webhook-id.
  await openSection(page, "Inspector", "Request inspector");
  const received = page.getByRole("list", { name: "Received requests, newest first" }).getByRole("listitem");
  await expect(received).toHaveCount(2);
  await expect(received.getByText("Signature verified")).toHaveCount(2);
  await received.first().locator("summary").click();
  await expect(received.first().getByLabel("Request headers", { exact: true })).toContainText(deliveryId);
  await expect(received.first().getByLabel("Request body", { exact: true })).toContainText('"id": "o-2"');
  await snapshot(page, "deliveries-08-inspector-received");

  // Small screens: the log stays usable at 375 px wide.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/projects/${projectId}/deliveries`);
  await expect(rows).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await snapshot(page, "deliveries-09-log-375px");
});

test("the inspector creates a listener for a hook in one click, and shows requests that arrive", async ({
  page,
}) => {
  await signUp(page, { name: "Newman", email: uniqueEmail("newman") });
  const durian = api(page.request, await createApiKey(page));
  expect((await durian.put("/hooks/mail.sent", { providesArgs: ["to"] })).status()).toBe(201);

  await openSection(page, "Inspector", "Request inspector");
  await page.getByRole("combobox", { name: "Hook" }).selectOption("mail.sent");
  await page.getByRole("button", { name: "Create a listener that sends here" }).click();
  await expect(page.getByText("Listener created for mail.sent")).toBeVisible();

  const sent = await durian.post("/hooks/mail.sent/events?wait=5", { payload: { to: "newman@usps.test" } });
  expect((await sent.json()) as { matched: number }).toMatchObject({ matched: 1 });
  const received = page.getByRole("list", { name: "Received requests, newest first" }).getByRole("listitem");
  await expect(received).toHaveCount(1);
  await expect(received.first().getByText("Signature verified")).toBeVisible();

  // Anything else POSTed there shows up too, its signature unverified.
  const inspectorUrl = await page.getByRole("textbox", { name: "Inspector URL" }).inputValue();
  const stranger = await page.request.post(inspectorUrl, { data: { hello: "inspector" } });
  expect(stranger.status()).toBe(200);
  await expect(received).toHaveCount(2);
  await expect(received.first().getByText("Signature not verified")).toBeVisible();
  await snapshot(page, "deliveries-10-inspector-one-click-listener");
});

test("after the receiver's outage, its failed deliveries are recovered from the listener page", async ({
  page,
}) => {
  await signUp(page, { name: "Puddy", email: uniqueEmail("puddy") });
  const durian = api(page.request, await createApiKey(page));
  // One quick retry, so the delivery fails for good within seconds.
  const hook = await durian.put("/hooks/invoice.sent", { providesArgs: ["number"], retrySchedule: [1] });
  expect(hook.status()).toBe(201);
  await openSection(page, "Inspector", "Request inspector");
  const inspectorUrl = await page.getByRole("textbox", { name: "Inspector URL" }).inputValue();

  // The outage: the listener points at an inspector address that does not exist (404).
  const created = await durian.post("/listeners", { hook: "invoice.sent", url: `${inspectorUrl}0` });
  expect(created.status()).toBe(201);
  const listenerId = ((await created.json()) as { id: string }).id;
  expect((await durian.post("/hooks/invoice.sent/events", { payload: { number: "INV-7" } })).status()).toBe(
    202,
  );
  await expect
    .poll(
      async () => {
        const page1 = await page.request.get(`/api/v1/deliveries?listenerId=${listenerId}`);
        return ((await page1.json()) as { items: { status: string }[] }).items.map((item) => item.status);
      },
      { timeout: 20_000 },
    )
    .toEqual(["failed"]);

  // Fixed: the listener points at the inspector again; its failed delivery is recovered by hand.
  const fixed = await page.request.patch(`/api/v1/listeners/${listenerId}`, {
    headers: { origin: new URL(page.url()).origin },
    data: { url: inspectorUrl },
  });
  expect(fixed.status()).toBe(200);
  await page.goto(`/projects/${projectIdFromUrl(page)}/listeners/${listenerId}`);
  const recentDeliveries = page.getByRole("list", { name: "Deliveries, newest first" });
  await expect(recentDeliveries.getByText("failed", { exact: true })).toBeVisible();
  await page.getByLabel("Failed within").selectOption({ label: "the last hour" });
  await page.getByRole("button", { name: "Recover failed deliveries" }).click();
  await expect(page.getByText("1 failed delivery is being attempted again.")).toBeVisible();
  await expect(recentDeliveries.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 20_000 });
  await snapshot(page, "deliveries-11-recovered");

  await openSection(page, "Inspector", "Request inspector");
  const received = page.getByRole("list", { name: "Received requests, newest first" }).getByRole("listitem");
  await expect(received).toHaveCount(1);
  await expect(received.first().getByText("Signature verified")).toBeVisible();
});
