import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, PROJECT_PAGES, signedInAsProjectOwner, test } from "./fixtures";
import { signUp, uniqueEmail } from "./support";

// Every page a user meets, audited with axe-core against WCAG 2.1 A and AA, with data in it: a hook
// with listeners, events and deliveries, so tables, forms and detail panels are all on screen.
// One test per page view: a slow machine spends one test's time on each page, not all pages' in one.

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// An axe run takes seconds of CPU per page; on a loaded machine page and audit together can pass 60 s.
test.slow();

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(" ")}: ${node.failureSummary}`).join("\n"),
  );
  expect(summary, `accessibility violations on ${label}`).toEqual([]);
}

test.describe("signed out", () => {
  test("sign in", async ({ page }) => {
    await page.goto("/sign-in");
    await expectNoViolations(page, "sign in");
  });

  test("sign up", async ({ page }) => {
    await page.goto("/sign-up");
    await expectNoViolations(page, "sign up");
  });

  test("hooks, empty (right after signing up)", async ({ page }) => {
    await signUp(page, { name: "Emmy", email: uniqueEmail("emmy") });
    await expectNoViolations(page, "hooks, empty");
  });
});

test.describe("signed in, with data", () => {
  test.use(signedInAsProjectOwner);

  for (const [label, path] of PROJECT_PAGES) {
    test(label, async ({ page, projectWithData }) => {
      await page.goto(path(projectWithData));
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoViolations(page, label);
    });
  }

  test("delivery detail", async ({ page, projectWithData }) => {
    await page.goto(`/projects/${projectWithData.projectId}/deliveries`);
    await page
      .getByRole("link", { name: /Delivery of person/ })
      .first()
      .click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page, "delivery detail");
  });

  // Small screens get other layouts (lists instead of tables, a stacked navigation).
  test.describe("at 375 px", () => {
    test.use({ viewport: { width: 375, height: 800 } });

    for (const [label, path] of PROJECT_PAGES) {
      test(label, async ({ page, projectWithData }) => {
        await page.goto(path(projectWithData));
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoViolations(page, `${label} at 375 px`);
      });
    }
  });
});
