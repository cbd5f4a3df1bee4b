import { expect, test } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// A hook whose fields changed in a breaking way shows its versions; a listener made through the form
// sets the hook's options (durian's config_form), each with the input its type calls for.

const CONFIG_FORM = [
  { name: "format", schema: { enum: ["json", "xml"] }, default: "json", description: "Body format" },
  { name: "include_address", schema: { type: "boolean" }, default: false },
  { name: "batch", schema: { type: "integer", minimum: 1, maximum: 100 } },
  { name: "team", schema: { type: "string" }, required: true },
];

test("versions on the hook page, and a listener's options set through the generated form", async ({
  page,
}) => {
  await signUp(page, { name: "Kramer", email: uniqueEmail("kramer") });
  const projectId = projectIdFromUrl(page);
  const origin = new URL(page.url()).origin;
  const call = (method: "PUT" | "GET" | "POST", path: string, data?: unknown) =>
    page.request.fetch(`/api/v1${path}?projectId=${projectId}`, {
      method,
      data,
      headers: { origin, "content-type": "application/json" },
    });

  expect(
    (
      await call("PUT", "/hooks/order", { providesArgs: ["id", "total", "email"], configForm: CONFIG_FORM })
    ).status(),
  ).toBe(201);
  const early = await call("POST", "/listeners", {
    hook: "order",
    url: "https://example.com/early",
    config: { team: "ops" },
  });
  const earlyId = ((await early.json()) as { id: string }).id;
  const changed = await call("PUT", "/hooks/order", {
    providesArgs: ["id", "total", "currency"],
    configForm: CONFIG_FORM,
  });
  expect(((await changed.json()) as { version: number }).version).toBe(2);

  await page.goto(`/projects/${projectId}/hooks/order`);
  const versions = page.getByRole("region", { name: "Versions" });
  const latest = versions.getByRole("listitem", { name: "Version 2" });
  await expect(latest.getByText("latest")).toBeVisible();
  await expect(latest.getByRole("list", { name: "Changes from version 1" })).toContainText("emailremoved");
  await expect(latest.getByText("breaking")).toBeVisible();
  await expect(latest.getByText("additive")).toBeVisible();
  await expect(
    versions.getByRole("listitem", { name: "Version 1" }).getByRole("list", { name: "Fields" }),
  ).toContainText("email");
  await snapshot(page, "hook-versions-01-hook-page");

  await expect(versions.getByRole("listitem", { name: "Version 1" })).toContainText("1 listener");

  // The listener made before the change stays on version 1 until it is moved.
  await page.goto(`/projects/${projectId}/listeners/${earlyId}`);
  const versionPanel = page.getByRole("region", { name: "Hook version" });
  await expect(versionPanel).toContainText("receives version 1");
  await versionPanel.getByRole("button", { name: "Move to version 2" }).click();
  await expect(versionPanel).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Delivery settings" }).getByText("version 2")).toBeVisible();

  await page.goto(`/projects/${projectId}/hooks/order`);
  await page.getByRole("link", { name: "Add a listener" }).click();
  const options = page.getByRole("group", { name: "Options" });
  await expect(options.getByLabel("format (optional)")).toHaveValue("");
  await expect(options.getByRole("option", { name: "default (json)" })).toBeAttached();
  await expect(options.getByRole("checkbox", { name: "include_address" })).not.toBeChecked();
  await expect(options.getByLabel("batch (optional)")).toHaveAttribute("type", "number");
  await expect(options.getByLabel("team", { exact: true })).toHaveAttribute("type", "text");

  await page.getByLabel("URL").fill("https://example.com/orders");
  await options.getByLabel("batch (optional)").fill("0");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(options.getByText("must be at least 1")).toBeVisible();
  await expect(options.getByText("is required")).toBeVisible();
  await snapshot(page, "hook-versions-02-options-refused");

  await options.getByLabel("format (optional)").selectOption("xml");
  await options.getByRole("checkbox", { name: "include_address" }).check();
  await options.getByLabel("batch (optional)").fill("25");
  await options.getByLabel("team", { exact: true }).fill("fulfilment");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(page).toHaveURL(/\/listeners\/[^/]+$/);
  const settings = page.getByRole("region", { name: "Delivery settings" });
  await expect(settings.getByText("version 2")).toBeVisible();
  await expect(settings.getByRole("list", { name: "Options" })).toContainText('team: "fulfilment"');
  await snapshot(page, "hook-versions-03-listener");

  const listenerId = new URL(page.url()).pathname.split("/").pop()!;
  const listener = (await (await call("GET", `/listeners/${listenerId}`)).json()) as Record<string, unknown>;
  expect(listener).toMatchObject({
    hookVersion: 2,
    config: { format: "xml", include_address: true, batch: 25, team: "fulfilment" },
  });
});
