import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { projectIdFromUrl, signUp, uniqueEmail } from "./support";

// Every page a user meets, audited with axe-core against WCAG 2.1 A and AA, with data in it: a hook
// with listeners, events and deliveries, so tables, forms and detail panels are all on screen.

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(" ")}: ${node.failureSummary}`).join("\n"),
  );
  expect(summary, `accessibility violations on ${label}`).toEqual([]);
}

test("every page passes an axe WCAG 2.1 AA audit", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoViolations(page, "sign in");
  await page.goto("/sign-up");
  await expectNoViolations(page, "sign up");

  await signUp(page, { name: "Audrey", email: uniqueEmail("audrey") });
  const projectId = projectIdFromUrl(page);
  await expectNoViolations(page, "hooks, empty");

  // A session may use the REST API from the app's own origin.
  const origin = new URL(page.url()).origin;
  const call = (method: "PUT" | "POST", path: string, data: unknown) =>
    page.request.fetch(`/api/v1${path}?projectId=${projectId}`, {
      method,
      data,
      headers: { origin, "content-type": "application/json" },
    });
  expect((await call("PUT", "/hooks/person", { providesArgs: ["name", "email"] })).status()).toBe(201);
  const listener = await call("POST", "/listeners", {
    hook: "person",
    url: "https://example.com/never-reached",
    filter: { name: { $startswith: "J" } },
  });
  expect(listener.status(), await listener.text()).toBe(201);
  const listenerId = ((await listener.json()) as { id: string }).id;
  const sent = await call("POST", "/hooks/person/events", {
    payload: { name: "Joe", email: "joe@example.com" },
  });
  expect(sent.status()).toBe(202);
  const eventId = ((await sent.json()) as { eventId: string }).eventId;

  const pages: [string, string][] = [
    ["hooks", `/projects/${projectId}`],
    ["hook detail", `/projects/${projectId}/hooks/person`],
    ["new listener form", `/projects/${projectId}/hooks/person/listeners/new`],
    ["listener detail", `/projects/${projectId}/listeners/${listenerId}`],
    ["listener edit", `/projects/${projectId}/listeners/${listenerId}/edit`],
    ["delivery log", `/projects/${projectId}/deliveries`],
    ["events", `/projects/${projectId}/events`],
    ["event detail", `/projects/${projectId}/events/${eventId}`],
    ["inspector", `/projects/${projectId}/inspector`],
    ["API keys", `/projects/${projectId}/api-keys`],
    ["members", `/projects/${projectId}/members`],
  ];
  for (const [label, path] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page, label);
  }

  await page.goto(`/projects/${projectId}/deliveries`);
  await page
    .getByRole("link", { name: /Delivery of person/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoViolations(page, "delivery detail");

  // Small screens get other layouts (lists instead of tables, a stacked navigation).
  await page.setViewportSize({ width: 375, height: 800 });
  for (const [label, path] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page, `${label} at 375 px`);
  }
});
