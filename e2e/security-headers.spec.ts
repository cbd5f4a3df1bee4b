import type { Page } from "@playwright/test";
import { expect, PROJECT_PAGES, signedInAsProjectOwner, test } from "./fixtures";
import { signUp, uniqueEmail } from "./support";

// The dashboard's pages carry a nonce-based Content-Security-Policy and the framing, sniffing and
// referrer headers; the pages still hydrate and run under that policy without a single violation.

const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

test("a page carries a per-request CSP nonce, on its scripts too, and the other security headers", async ({
  request,
}) => {
  const first = await request.get("/sign-in");
  const headers = first.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic';/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const nonce = nonceOf(policy);
  expect(nonce).toBeTruthy();
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);

  const second = await request.get("/sign-in");
  expect(nonceOf(second.headers()["content-security-policy"] ?? "")).not.toBe(nonce);
});

test("the APIs answer with nosniff and without a page's policy", async ({ request }) => {
  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(openapi.headers()["x-content-type-options"]).toBe("nosniff");
  expect(openapi.headers()["x-frame-options"]).toBe("DENY");
  expect(openapi.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(openapi.headers()["content-security-policy"]).toBeUndefined();
  const inspect = await request.post("/api/inspect/no-such-token", { data: { hello: "world" } });
  expect(inspect.headers()["x-content-type-options"]).toBe("nosniff");
  expect(inspect.headers()["content-security-policy"]).toBeUndefined();
});

/** Collects CSP violations (the browser's own report and the DOM event) and uncaught page errors. */
function watchForViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|securitypolicyviolation/i.test(message.text()))
      problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI} ` +
          `(${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return problems;
}

test("signing in and up raises no CSP violation", async ({ page }) => {
  const problems = watchForViolations(page);
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  // Signing up goes through the hydrated form (a client-side request), so it proves scripts ran.
  await signUp(page, { name: "Cspella", email: uniqueEmail("csp") });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});

test("the app's logo and icon (public/) load under the page's policy", async ({ page, request }) => {
  const problems = watchForViolations(page);
  await page.goto("/sign-in");
  const logo = page.getByRole("img", { name: "Durian" });
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  const iconPath = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(iconPath).toBe("/icon.svg");
  const icon = await request.get(iconPath!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(problems).toEqual([]);
});

test.describe("the dashboard's pages raise no CSP violation", () => {
  test.use(signedInAsProjectOwner);

  for (const [label, path] of [
    ...PROJECT_PAGES,
    ["new project", () => "/projects/new"] as (typeof PROJECT_PAGES)[number],
  ]) {
    test(label, async ({ page, projectWithData }) => {
      const problems = watchForViolations(page);
      await page.goto(path(projectWithData));
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(problems).toEqual([]);
    });
  }

  test("after a client-side navigation", async ({ page, projectWithData }) => {
    const problems = watchForViolations(page);
    const { projectId } = projectWithData;
    await page.goto(`/projects/${projectId}`);
    await page.getByRole("link", { name: "Events" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/events$`));
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
    expect(problems).toEqual([]);
  });
});
