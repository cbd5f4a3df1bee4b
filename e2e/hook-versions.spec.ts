import { expect, test } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// A hook whose fields changed in a breaking way shows its versions; a listener made through the form
// sets the hook's options (durian's config_form), each with the input its type calls for, and may
// receive the earlier version, its filter generated from that version's fields.

const CONFIG_FORM = [
  { name: "format", schema: { enum: ["json", "xml"] }, default: "json", description: "Body format" },
  { name: "include_address", schema: { type: "boolean" }, default: false },
  { name: "batch", schema: { type: "integer", minimum: 1, maximum: 100 } },
  { name: "team", schema: { type: "string" }, required: true },
];

test("versions on the hook page, a listener's options set through the generated form, and a listener on the earlier version", async ({
  page,
}) => {
  test.slow();
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

  // A receiver that still expects version 1: the form offers it, generated from its fields.
  await page.goto(`/projects/${projectId}/hooks/order`);
  await page.getByRole("link", { name: "Add a listener" }).click();
  const version = page.getByLabel("Version of the fields");
  await expect(version).toHaveValue("2");
  await expect(version.getByRole("option")).toHaveText(["Version 2 (latest)", "Version 1"]);
  await expect(page.getByLabel("Condition on currency")).toBeVisible();
  await expect(page.getByLabel("Condition on email")).toHaveCount(0);
  await page.getByLabel("Condition on id").selectOption({ label: "starts with" });
  await page.getByLabel("Value for id").fill("ord_");

  await version.selectOption("1");
  await expect(page.getByLabel("Condition on email")).toBeVisible();
  await expect(page.getByLabel("Condition on currency")).toHaveCount(0);
  await expect(page.getByLabel("Condition on id")).toHaveValue("$startswith");
  await expect(page.getByLabel("Value for id")).toHaveValue("ord_");
  await page.getByLabel("Condition on email").selectOption({ label: "contains" });
  await page.getByLabel("Value for email").fill("@vandelay");

  // Back on version 2, the condition on email cannot be kept as a row: shown as JSON, and refused.
  await version.selectOption("2");
  await expect(page.getByText('email: the hook does not provide "email"', { exact: false })).toBeVisible();
  await snapshot(page, "hook-versions-04-filter-not-in-version");
  await version.selectOption("1");
  await expect(page.getByText('the hook does not provide "email"', { exact: false })).toHaveCount(0);
  await page.getByRole("button", { name: "Edit as fields" }).click();
  await expect(page.getByLabel("Value for email")).toHaveValue("@vandelay");

  await page.getByLabel("URL").fill("https://example.com/orders-v1");
  await page.getByRole("group", { name: "Options" }).getByLabel("team", { exact: true }).fill("legacy");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(page).toHaveURL(/\/listeners\/[^/]+$/);
  await expect(page.getByRole("region", { name: "Hook version" })).toContainText("receives version 1");
  const onVersion1 = new URL(page.url()).pathname.split("/").pop()!;
  const created = (await (await call("GET", `/listeners/${onVersion1}`)).json()) as Record<string, unknown>;
  expect(created).toMatchObject({
    hookVersion: 1,
    filter: { id: { $startswith: "ord_" }, email: { $contains: "@vandelay" } },
  });

  // Editing it keeps it on version 1, with version 1's fields.
  await page.goto(`/projects/${projectId}/listeners/${onVersion1}/edit`);
  await expect(page.getByLabel("Version of the fields")).toHaveCount(0);
  await expect(page.getByLabel("Value for email")).toHaveValue("@vandelay");
  await page.getByLabel("Description (optional)").fill("For the old receiver");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/listeners/${onVersion1}$`));
  const edited = (await (await call("GET", `/listeners/${onVersion1}`)).json()) as Record<string, unknown>;
  expect(edited).toMatchObject({ hookVersion: 1, description: "For the old receiver" });

  // A hook with one version offers no choice.
  expect((await call("PUT", "/hooks/refund", { providesArgs: ["id"] })).status()).toBe(201);
  await page.goto(`/projects/${projectId}/hooks/refund/listeners/new`);
  await expect(page.getByLabel("Condition on id")).toBeVisible();
  await expect(page.getByLabel("Version of the fields")).toHaveCount(0);
});
