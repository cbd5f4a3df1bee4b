import { expect, test } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// A listener driven to disabled through the real path (its receiver answers 404 to every attempt),
// the operational event that reports it arriving at a subscribed listener, and the listener page's
// banner that re-enables it and recovers its failed deliveries.

/** Deliveries failed in a row that disable a listener (DURIAN_DISABLE_AFTER_FAILURES in scripts/e2e-server.ts). */
const DISABLE_AFTER = 3;

test("a listener disabled by failures shows a banner that re-enables it and recovers its deliveries", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUp(page, { name: "Otto", email: uniqueEmail("otto") });
  const projectId = projectIdFromUrl(page);
  const origin = new URL(page.url()).origin;
  const call = async (method: "GET" | "PUT" | "POST" | "PATCH", path: string, data?: unknown) => {
    const separator = path.includes("?") ? "&" : "?";
    const response = await page.request.fetch(`/api/v1${path}${separator}projectId=${projectId}`, {
      method,
      data,
      headers: { origin, "content-type": "application/json" },
    });
    expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
    return response.json();
  };

  await page.goto(`/projects/${projectId}/inspector`);
  const inspectorUrl = await page.getByRole("textbox", { name: "Inspector URL" }).inputValue();
  // The app's own inspector path with a token no project has: a receiver that answers 404.
  const brokenUrl = inspectorUrl.replace(/\/api\/inspect\/.+$/, "/api/inspect/no-such-inspector");

  // Two attempts per delivery, the second at once, so each failed delivery counts within the test.
  await call("PUT", "/hooks/orders", { providesArgs: ["id"], retrySchedule: [0] });
  const listener = await call("POST", "/listeners", { hook: "orders", url: brokenUrl, selfHealing: true });
  // Told about it: a listener of Durian's own hook, on this project's request inspector.
  await call("POST", "/listeners", {
    hook: "durian.listener.disabled",
    url: inspectorUrl,
    filter: { hook: "orders" },
  });

  for (let index = 0; index < DISABLE_AFTER; index++) {
    await call("POST", "/hooks/orders/events", { payload: { id: String(index) } });
  }
  await expect
    .poll(async () => (await call("GET", `/listeners/${listener.id}`)).enabled, { timeout: 120_000 })
    .toBe(false);

  await page.goto(`/projects/${projectId}/listeners/${listener.id}`);
  const banner = page.getByRole("status").filter({ hasText: "Disabled: no events are delivered" });
  await expect(banner).toBeVisible();
  await expect(
    banner.getByText(`Reason: Disabled after ${DISABLE_AFTER} failed deliveries in a row.`),
  ).toBeVisible();
  await expect(banner.getByText(/^Self-healing: Durian pings it/)).toBeVisible();
  await snapshot(page, "operational-1-disabled-banner");

  // The operational event reached the subscribed listener (the inspector), signed with its secret.
  await page.goto(`/projects/${projectId}/inspector`);
  const arrived = page.locator("summary").filter({ hasText: "durian.listener.disabled" }).first();
  await expect(arrived).toBeVisible({ timeout: 30_000 });
  await arrived.click();
  await expect(page.getByLabel("Request body", { exact: true }).first()).toContainText(
    `Disabled after ${DISABLE_AFTER} failed deliveries in a row.`,
  );
  await snapshot(page, "operational-2-event-in-inspector");

  // The receiver works again: point the listener at the inspector, then re-enable and recover.
  await call("PATCH", `/listeners/${listener.id}`, { url: inspectorUrl });
  await page.goto(`/projects/${projectId}/listeners/${listener.id}`);
  // Once the page is interactive (a click before hydration would be lost).
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Re-enable and recover" }).click();
  await expect(
    page.getByText(`Enabled again. ${DISABLE_AFTER} failed deliveries are being attempted again.`),
  ).toBeVisible();
  await expect(page.getByText("Disabled: no events are delivered")).toHaveCount(0);
  const deliveries = page.getByRole("list", { name: "Deliveries, newest first" });
  await expect(deliveries.getByText("succeeded").first()).toBeVisible({ timeout: 30_000 });
  await snapshot(page, "operational-3-reenabled-and-recovered");

  const recovered = await call("GET", "/events?hook=durian.listener.recovered");
  expect(recovered.items).toHaveLength(1);
  expect(recovered.items[0].payload).toMatchObject({
    listenerId: listener.id,
    by: "user",
    recoveredDeliveries: DISABLE_AFTER,
  });
});
