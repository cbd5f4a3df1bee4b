import { expect, test, type Page } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// The charts: deliveries recorded by the embedded runner show in the project's, the hook's and the
// listener's charts (read from the hourly rollups), the hooks list draws a sparkline per hook, and a
// listener shows its health and backlog. The page's Content-Security-Policy must let all of it draw.

const HOOK = "invoice.sent";

async function createApiKey(page: Page): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/v1/api-keys", {
    headers: { origin },
    data: { name: "charts" },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

test("deliveries show in the project, hook and listener charts and the hooks list's sparkline", async ({
  page,
  request,
}) => {
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await signUp(page, { name: "Cosmo", email: uniqueEmail("cosmo") });
  const projectId = projectIdFromUrl(page);
  const headers = { authorization: `Bearer ${await createApiKey(page)}`, "content-type": "application/json" };
  expect(
    (
      await request.put(`/api/v1/hooks/${HOOK}`, { headers, data: { providesArgs: ["id", "amount"] } })
    ).status(),
  ).toBe(201);
  // The app's own request inspector accepts every delivery.
  await page.goto(`/projects/${projectId}/inspector`);
  const inspectorUrl = await page.getByRole("textbox", { name: "Inspector URL" }).inputValue();
  const listener = await request.post("/api/v1/listeners", {
    headers,
    data: { hook: HOOK, url: inspectorUrl },
  });
  expect(listener.status()).toBe(201);
  const listenerId = ((await listener.json()) as { id: string }).id;

  // Three events, each waited for until its delivery's first outcome.
  for (let index = 0; index < 3; index++) {
    const sent = await request.post(`/api/v1/hooks/${HOOK}/events?wait=10`, {
      headers,
      data: { payload: { id: `inv-${index}`, amount: index } },
    });
    expect(sent.status()).toBe(202);
  }

  // The project's home: the hook's sparkline and the project's chart.
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByRole("img", { name: "Last 24 hours: 3 delivered, 0 failed" }).first()).toBeVisible();
  const projectChart = page.getByRole("region", { name: "Deliveries in this project" });
  await expect(projectChart.getByText("Delivered", { exact: true }).locator("..")).toContainText("3");
  await expect(projectChart.getByText("Success rate").locator("..")).toContainText("100%");
  await expect(projectChart.getByTestId("outcome-bars").locator("rect.fill-green-600")).toHaveCount(1);
  await snapshot(page, "charts-01-project-home");

  // 7 days: the same deliveries, summed into today's bar.
  await projectChart.getByRole("button", { name: "7 days" }).click();
  await expect(projectChart.getByText(/last 7 days, by day \(UTC\): 3 succeeded/)).toBeVisible();
  await expect(projectChart.getByTestId("outcome-bars").locator("g[data-slot]")).toHaveCount(7);
  await snapshot(page, "charts-02-project-7-days");

  // The hook's page.
  await page.goto(`/projects/${projectId}/hooks/${HOOK}`);
  const hookChart = page.getByRole("region", { name: "Deliveries of this hook" });
  await expect(hookChart.getByText(/last 24 hours, by hour: 3 succeeded/)).toBeVisible();
  await expect(hookChart.getByText("Latency p50 / p95").locator("..")).toContainText(/\d+ ms \/ \d+ ms/);
  await snapshot(page, "charts-03-hook");

  // The listener's page: healthy, nothing due, and its chart.
  await page.goto(`/projects/${projectId}/listeners/${listenerId}`);
  const backlog = page.getByRole("region", { name: "Health and backlog" });
  await expect(backlog.getByText("Healthy")).toBeVisible();
  await expect(backlog.getByText("Due now").locator("..")).toContainText("0");
  const listenerChart = page.getByRole("region", { name: "Deliveries to this listener" });
  await expect(listenerChart.getByText(/last 24 hours, by hour: 3 succeeded/)).toBeVisible();
  await snapshot(page, "charts-04-listener");

  expect(cspViolations).toEqual([]);
});
