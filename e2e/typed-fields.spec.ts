import http from "node:http";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import AxeBuilder from "@axe-core/playwright";
import addFormats from "ajv-formats";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { receiverPort } from "../playwright.config";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// Typed hook fields in the dashboard: the generated listener form offers per type only the operators
// that can match, in inputs of the type; the hook page shows the types and downloads the payload's
// JSON Schema, which validates what Durian actually delivers.

const HOOK = "member.joined";
const FIELDS = [
  { name: "email", schema: { type: "string" }, required: true },
  { name: "age", schema: { type: "integer", minimum: 0 } },
  { name: "vip", schema: { type: "boolean" } },
  { name: "plan", schema: { enum: ["free", "pro", "team"] } },
  { name: "joinedAt", schema: { type: "string", format: "date-time" } },
  {
    name: "address",
    schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  "note",
];

let session: Awaited<ReturnType<BrowserContext["storageState"]>>;
let projectId: string;
let apiKey: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await signUp(page, { name: "Elaine", email: uniqueEmail("elaine") });
  projectId = projectIdFromUrl(page);
  const origin = new URL(page.url()).origin;
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: "typed" } });
  expect(key.status()).toBe(201);
  apiKey = ((await key.json()) as { key: string }).key;
  const hook = await page.request.put(`/api/v1/hooks/${HOOK}`, {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { verboseName: "Member joined", providesArgs: FIELDS },
  });
  expect(hook.status(), await hook.text()).toBe(201);
  session = await context.storageState();
  await context.close();
});

async function signedInPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: session });
  return context.newPage();
}

async function openNewListenerForm(page: Page) {
  await page.goto(`/projects/${projectId}/hooks/${HOOK}/listeners/new`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

async function operatorLabels(page: Page, field: string): Promise<string[]> {
  return page
    .getByRole("combobox", { name: `Condition on ${field}` })
    .locator("option")
    .allTextContents();
}

test("numbers: comparisons, no text operators, a number input", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  const row = page.getByTestId("filter-row-age");
  await expect(row).toContainText("an integer");
  expect(await operatorLabels(page, "age")).toEqual([
    "any value",
    "is",
    "is one of",
    "is not",
    "exists",
    "greater than",
    "at least",
    "less than",
    "at most",
  ]);
  await page.getByRole("combobox", { name: "Condition on age" }).selectOption("$gt");
  const value = page.getByRole("spinbutton", { name: "Value for age" });
  await expect(value).toHaveAttribute("type", "number");
  await value.fill("30");
  // Text fields keep their text operators.
  expect(await operatorLabels(page, "email")).toContain("starts with");
  await snapshot(page, "typed-fields-01-number");
  await page.context().close();
});

test("booleans: is, with a true/false select", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  expect(await operatorLabels(page, "vip")).toEqual(["any value", "is", "is not", "exists"]);
  await page.getByRole("combobox", { name: "Condition on vip" }).selectOption("$is");
  const value = page.getByRole("combobox", { name: "Value for vip" });
  expect(await value.locator("option").allTextContents()).toEqual(["choose true or false", "true", "false"]);
  await value.selectOption("true");
  await snapshot(page, "typed-fields-02-boolean");
  await page.context().close();
});

test("enums: is with a select, is one of with a multiple select, saved as the enum's values", async ({
  browser,
  baseURL,
}) => {
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  expect(await operatorLabels(page, "plan")).toEqual(["any value", "is", "is one of", "is not", "exists"]);
  await page.getByRole("combobox", { name: "Condition on plan" }).selectOption("$in");
  const choices = page.getByRole("listbox", { name: "Value for plan" });
  await choices.selectOption(["pro", "team"]);
  await page.getByLabel("URL").fill("https://example.com/plans");
  await snapshot(page, "typed-fields-03-enum");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(page).toHaveURL(/\/listeners\/[^/]+$/);
  await expect(page.getByText('plan is one of "pro", "team"')).toBeVisible();
  await page.context().close();
});

test("timestamps: before and after, with a date and time input in UTC", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  await expect(page.getByTestId("filter-row-joinedAt")).toContainText("a date-time (RFC 3339)");
  expect(await operatorLabels(page, "joinedAt")).toEqual([
    "any value",
    "is",
    "is one of",
    "is not",
    "exists",
    "before",
    "after",
  ]);
  await page.getByRole("combobox", { name: "Condition on joinedAt" }).selectOption("$after");
  const value = page.getByLabel("Value for joinedAt (UTC)");
  await expect(value).toHaveAttribute("type", "datetime-local");
  await value.fill("2026-01-01T08:00:00");
  await page.getByLabel("URL").fill("https://example.com/joined");
  await snapshot(page, "typed-fields-04-timestamp");
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(page).toHaveURL(/\/listeners\/[^/]+$/);
  await expect(page.getByText('joinedAt after "2026-01-01T08:00:00Z"')).toBeVisible();
  await page.context().close();
});

test("a filter that cannot match the type is refused with the reason", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  await page.getByRole("button", { name: "Edit as JSON" }).click();
  await page.getByLabel("Filter (JSON)").fill('{"age": {"$startswith": "4"}}');
  await expect(page.getByText('age: "starts with" ($startswith) cannot match an integer')).toBeVisible();
  await snapshot(page, "typed-fields-05-refused");
  await page.context().close();
});

test("the typed inputs and the hook page's field types pass a WCAG 2.1 AA audit", async ({
  browser,
  baseURL,
}) => {
  // An axe run takes seconds of CPU per page on a loaded machine.
  test.slow();
  const page = await signedInPage(browser, baseURL);
  await openNewListenerForm(page);
  await page.getByRole("combobox", { name: "Condition on age" }).selectOption("$gte");
  await page.getByRole("combobox", { name: "Condition on vip" }).selectOption("$is");
  await page.getByRole("combobox", { name: "Condition on plan" }).selectOption("$in");
  await page.getByRole("combobox", { name: "Condition on joinedAt" }).selectOption("$before");
  await expect(page.getByLabel("Value for joinedAt (UTC)")).toBeVisible();
  for (const path of ["new listener form", "hook page"]) {
    if (path === "hook page") await page.goto(`/projects/${projectId}/hooks/${HOOK}`);
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(
      violations.map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`,
      ),
      path,
    ).toEqual([]);
  }
  await page.context().close();
});

/** One delivery's body, received on the port the server may deliver to. */
function receiveOneDelivery(): { body: Promise<string>; close: () => Promise<void> } {
  let resolveBody: (body: string) => void;
  const body = new Promise<string>((resolve) => (resolveBody = resolve));
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.end();
      resolveBody(Buffer.concat(chunks).toString("utf8"));
    });
  });
  server.listen(receiverPort, "127.0.0.1");
  return {
    body,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test("the hook page shows each field's type, and its JSON Schema validates what is delivered", async ({
  browser,
  baseURL,
}) => {
  const page = await signedInPage(browser, baseURL);
  await page.goto(`/projects/${projectId}/hooks/${HOOK}`);
  const table = page.getByRole("table", { name: "Fields and their types" });
  await expect(table.getByRole("row", { name: /^age an integer, ≥ 0 optional/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /^address\.city a string required/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /^note any JSON value optional/ })).toBeVisible();
  await snapshot(page, "typed-fields-06-hook-page");

  const [schemaDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "JSON Schema" }).click(),
  ]);
  expect(schemaDownload.suggestedFilename()).toBe(`${HOOK}.schema.json`);
  const schema = JSON.parse(readFileSync((await schemaDownload.path())!, "utf8")) as object;
  const [typesDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "TypeScript types" }).click(),
  ]);
  expect(readFileSync((await typesDownload.path())!, "utf8")).toContain(
    "export interface MemberJoinedPayload {",
  );

  const receiver = receiveOneDelivery();
  try {
    const headers = { authorization: `Bearer ${apiKey}` };
    const listener = await page.request.post("/api/v1/listeners", {
      headers,
      data: { hook: HOOK, url: `http://127.0.0.1:${receiverPort}/members`, filter: { age: { $gte: 18 } } },
    });
    expect(listener.status(), await listener.text()).toBe(201);
    const sent = await page.request.post(`/api/v1/hooks/${HOOK}/events`, {
      headers,
      data: {
        payload: {
          email: "elaine@example.com",
          age: 31,
          vip: false,
          plan: "team",
          joinedAt: "2026-03-01T10:00:00+01:00",
          address: { city: "New York" },
          note: ["anything", 1],
        },
      },
    });
    expect(sent.status(), await sent.text()).toBe(202);
    const delivered = JSON.parse(await receiver.body) as unknown;
    const ajv = new Ajv2020({ strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(delivered), JSON.stringify(validate.errors)).toBe(true);
    expect(delivered).toMatchObject({ age: 31, plan: "team" });
  } finally {
    await receiver.close();
    await page.context().close();
  }
});
