import { expect, test } from "@playwright/test";
import { PASSWORD, projectIdFromUrl, signIn, signUp, snapshot, uniqueEmail } from "./support";

test("sign up, see the empty dashboard, sign out and sign back in", async ({ page }) => {
  const email = uniqueEmail("ada");
  await signUp(page, { name: "Ada", email });
  await expect(page.getByRole("heading", { name: "Hooks", level: 1 })).toBeVisible();
  await expect(page.getByText("No hooks yet")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Project" })).toHaveValue(projectIdFromUrl(page));
  await expect(page.getByRole("option", { name: "Default" })).toBeAttached();
  await snapshot(page, "accounts-01-empty-dashboard");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await snapshot(page, "accounts-02-signed-out");

  await signIn(page, email, "not the password");
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await snapshot(page, "accounts-03-wrong-password");

  await signIn(page, email);
  await expect(page.getByRole("heading", { name: "Hooks", level: 1 })).toBeVisible();
});

test("sign-up refuses a taken email, a short password and a malformed email inline", async ({ page }) => {
  const email = uniqueEmail("taken");
  await signUp(page, { name: "First", email });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Second");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
  await snapshot(page, "accounts-04-taken-email");
});

test("another user opening my project URL gets a not-found page", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, { name: "Owner", email: uniqueEmail("owner") });
  const projectUrl = new URL(owner.url()).pathname;
  await owner.close();

  const stranger = await browser.newPage();
  await signUp(stranger, { name: "Stranger", email: uniqueEmail("stranger") });
  const response = await stranger.goto(projectUrl);
  expect(response?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(stranger.getByText("Owner")).toHaveCount(0);
  await snapshot(stranger, "accounts-05-not-found");
  await stranger.close();
});

test("signed-out visitors are sent to sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});
