import { expect, test, type APIRequestContext, type Page, type Route } from "@playwright/test";
import { projectIdFromUrl, signUp, snapshot, uniqueEmail } from "./support";

// Journey 2: register a hook through the REST API, then create a listener for it through the form
// generated from its providesArgs, with a filter.

const PERSON_FIELDS = ["name", "address", "phone", "email"];

async function createApiKey(page: Page, name: string): Promise<string> {
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No keys yet")).toBeVisible();
  await page.getByLabel("Name").fill(name);
  // The keys list is refetched after a key is made; held back here, the new key must show without it.
  const heldListRequests: Route[] = [];
  await page.route(/\/api\/trpc\/[^?]*apiKey\.list/, (route) => void heldListRequests.push(route));
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^durian_/);
  await expect(page.getByText("shown only this once")).toBeVisible();
  const keysList = page.getByRole("region", { name: "Keys", exact: true });
  await expect(keysList.getByText(name, { exact: true })).toBeVisible();
  await expect(keysList.getByText("No keys yet")).toHaveCount(0);
  await Promise.all(heldListRequests.map((route) => route.continue()));
  await page.unroute(/\/api\/trpc\/[^?]*apiKey\.list/);
  await snapshot(page, "listeners-02-api-key-created");
  return key;
}

function api(request: APIRequestContext, key: string) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return {
    put: (path: string, data: unknown) => request.put(`/api/v1${path}`, { headers, data }),
    post: (path: string, data: unknown) => request.post(`/api/v1${path}`, { headers, data }),
    get: (path: string) => request.get(`/api/v1${path}`, { headers }),
  };
}

test("register a hook through the API, then create a filtered listener through the generated form", async ({
  page,
  request,
  baseURL,
}) => {
  // A long journey: on a loaded 2-core machine it outlasted the default minute.
  test.slow();
  await signUp(page, { name: "Elaine", email: uniqueEmail("elaine") });
  const projectId = projectIdFromUrl(page);
  await expect(page.getByText("No hooks yet")).toBeVisible();
  await expect(page.getByText(`new Durian({ url: "${baseURL}"`)).toBeVisible();
  await page.getByRole("tab", { name: "curl" }).click();
  await expect(page.getByText(`curl -X PUT '${baseURL}/api/v1/hooks/person'`)).toBeVisible();
  await snapshot(page, "listeners-01-no-hooks-yet");

  const key = await createApiKey(page, "e2e backend");
  const durian = api(request, key);

  // The app registers its hook and sends a few events, as durian's PersonHook would.
  const registered = await durian.put("/hooks/person", {
    verboseName: "Person",
    providesArgs: PERSON_FIELDS,
  });
  expect(registered.status()).toBe(201);
  for (const name of ["Joe", "Jerry", "Simon"]) {
    const sent = await durian.post("/hooks/person/events", {
      payload: {
        name,
        address: "Border Lane, New York City",
        phone: "212 555 88 23",
        email: `${name.toLowerCase()}@vandelay.com`,
      },
    });
    expect(sent.status()).toBe(202);
  }

  // The hooks list shows it, with its fields and stats, and search narrows it.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Hooks" }).click();
  const hooksTable = page.getByRole("table", { name: "Hooks of this project" });
  await expect(hooksTable.getByRole("link", { name: "person" })).toBeVisible();
  await expect(hooksTable.getByRole("row", { name: /person/ })).toContainText("Person");
  await expect(
    hooksTable
      .getByRole("row", { name: /person/ })
      .getByRole("cell")
      .nth(3),
  ).toHaveText("3");
  await page.getByLabel("Search hooks").fill("nothing-like-it");
  await expect(page.getByText("No hook matches")).toBeVisible();
  await page.getByLabel("Search hooks").fill("phone");
  await expect(hooksTable.getByRole("link", { name: "person" })).toBeVisible();
  await snapshot(page, "listeners-03-hooks-list");

  // The hook's page: its definition, its recent events, and snippets to send it.
  await hooksTable.getByRole("link", { name: "person" }).click();
  await expect(page.getByRole("heading", { name: "person", level: 1 })).toBeVisible();
  await expect(page.getByText("No listener yet")).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent events" }).getByText('"name":"Simon"')).toBeVisible();
  await expect(
    page.getByLabel("TypeScript SDK code that sends a person event", { exact: true }),
  ).toContainText("personHook.send(null");
  await snapshot(page, "listeners-04-hook-detail");

  // The form has one row per provided field.
  await page.getByRole("link", { name: "Add a listener" }).click();
  await expect(page.getByRole("heading", { name: /New listener on/ })).toBeVisible();
  for (const field of PERSON_FIELDS)
    await expect(page.getByLabel(`Condition on ${field}`)).toHaveValue("$any");
  await expect(page.getByTestId("filter-preview-summary")).toHaveText(
    "Would have matched 3 of the last 3 events.",
  );
  await expect(page.getByText("No filters: every event is delivered.")).toBeVisible();
  await snapshot(page, "listeners-05-empty-form");

  // A filter: name starts with "J". The preview replays it on the stored events.
  await page.getByLabel("Condition on name").selectOption({ label: "starts with" });
  await page.getByLabel("Value for name").fill("J");
  await expect(page.getByTestId("filter-preview-summary")).toHaveText(
    "Would have matched 2 of the last 3 events.",
  );
  const matching = page.getByRole("list", { name: "Matching events" });
  await expect(matching.getByText('"name":"Joe"')).toBeVisible();
  await expect(matching.getByText('"name":"Simon"')).toHaveCount(0);
  await expect(page.getByText("No filters: every event is delivered.")).toHaveCount(0);

  // Inline validation with the API's rules: a bad regular expression, a bad and a blocked URL.
  await page.getByLabel("Condition on phone").selectOption({ label: "matches pattern" });
  await page.getByLabel("Value for phone").fill("(212");
  await expect(page.getByText(/^phone: \$like/)).toBeVisible();
  await page.getByLabel("URL").fill("ftp://example.com/hook");
  await expect(page.getByText("only http and https are supported, not ftp")).toBeVisible();
  await page.getByLabel("URL").fill("http://10.1.2.3/hook");
  await expect(page.getByText(/10\.1\.2\.3 is a private network address/)).toBeVisible();
  await snapshot(page, "listeners-06-inline-errors");

  await page.getByLabel("Value for phone").fill("^212");
  await expect(page.getByText(/^phone: \$like/)).toHaveCount(0);
  await expect(page.getByTestId("filter-preview-summary")).toHaveText(
    "Would have matched 2 of the last 3 events.",
  );
  await page.getByLabel("URL").fill("https://example.com/webhooks/durian");
  await expect(page.getByText(/private network address/)).toHaveCount(0);
  await page.getByLabel("Name (optional)").fill("J people");
  await page.getByLabel("Description (optional)").fill("Everyone whose name starts with J");
  await page.getByRole("button", { name: "Add a header" }).click();
  await page.getByLabel("Header 1 name").fill("webhook-id");
  await page.getByLabel("Header 1 value").fill("mine");
  await expect(page.getByText("is set by Durian on every delivery and cannot be overridden")).toBeVisible();
  await page.getByLabel("Header 1 name").fill("X-Team");
  await page.getByLabel("Header 1 value").fill("growth");
  await page.getByLabel("Wrap the payload in an envelope").check();
  await snapshot(page, "listeners-07-filled-form");

  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/listeners/[^/]+$`));
  // Headed by its name, which the breadcrumbs end with too.
  await expect(page.getByRole("heading", { name: /^Listener J people/, level: 1 })).toContainText("Enabled");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("J people");
  await expect(page.getByRole("region", { name: "Filter" }).getByText('name starts with "J"')).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Filter" }).getByText('phone matches pattern "^212"'),
  ).toBeVisible();
  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(page.getByTestId("listener-secret")).toHaveText(/^whsec_/);
  await snapshot(page, "listeners-08-listener-detail");

  // The API sees the same listener the form created.
  const listed = await durian.get("/listeners?hook=person");
  expect(listed.status()).toBe(200);
  const { items } = (await listed.json()) as {
    items: { url: string; filter: unknown; headers: unknown; envelope: boolean }[];
  };
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({
    url: "https://example.com/webhooks/durian",
    filter: { name: { $startswith: "J" }, phone: { $like: "^212" } },
    headers: { "X-Team": "growth" },
    envelope: true,
  });

  // Usable at 375 px: the hooks list becomes cards and the form stacks.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`/projects/${projectId}`);
  await expect(
    page.getByRole("list", { name: "Hooks of this project" }).getByRole("link", { name: "person" }),
  ).toBeVisible();
  await snapshot(page, "listeners-09-hooks-375px");
  // Every section of the navigation is on screen (it wraps), and reachable from the keyboard.
  const navigation = page.getByRole("navigation", { name: "Project" });
  for (const section of [
    "Hooks",
    "Deliveries",
    "Events",
    "Inspector",
    "API keys",
    "Customer portal",
    "Members",
  ]) {
    const link = navigation.getByRole("link", { name: section, exact: true });
    await expect(link).toBeInViewport({ ratio: 1 });
  }
  await navigation.getByRole("link", { name: "Events", exact: true }).focus();
  for (let step = 0; step < 4; step++) await page.keyboard.press("Tab");
  await expect(navigation.getByRole("link", { name: "Members", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await page.goto(`/projects/${projectId}/hooks/person/listeners/new`);
  await expect(page.getByLabel("Condition on name")).toBeVisible();
  await snapshot(page, "listeners-10-form-375px");
});

test("manage a listener: test event to the inspector, secret rotation, disable, edit as JSON, delete; revoke the key", async ({
  page,
  request,
  baseURL,
}) => {
  // A long journey: on a loaded 2-core machine it outlasted the default minute.
  test.slow();
  await signUp(page, { name: "Kramer", email: uniqueEmail("kramer") });
  const projectId = projectIdFromUrl(page);
  const key = await createApiKey(page, "kramerica");
  await page.getByRole("button", { name: "I have copied it" }).click();
  const durian = api(request, key);
  expect((await durian.put("/hooks/signup", { providesArgs: ["email", "plan"] })).status()).toBe(201);

  // A listener on the project's own request inspector, so a test event has somewhere to arrive.
  await page.goto(`/projects/${projectId}/hooks/signup/listeners/new`);
  // No events yet: a sentence says so, and no empty box is drawn for matches.
  await expect(page.getByTestId("filter-preview-summary")).toHaveText(/^No events yet/);
  await expect(page.getByText("No filters: every event is delivered.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Matching events" })).toHaveCount(0);
  await page.getByLabel("Condition on plan").selectOption({ label: "is one of" });
  await page.getByLabel("Value for plan").fill("pro, team");
  await page.getByRole("button", { name: "Use this project's request inspector" }).click();
  await expect(page.getByLabel("URL")).toHaveValue(/\/api\/inspect\/.+/);
  await page.getByRole("button", { name: "Create listener" }).click();
  await expect(
    page.getByRole("region", { name: "Filter" }).getByText('plan is one of "pro", "team"'),
  ).toBeVisible();
  // Without a name it is headed by its URL, shortened around the middle: host and port, then the end.
  const inspectorHost = new URL(baseURL ?? "").host;
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${inspectorHost}…`);
  const listenerUrl = page.url();

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByText(/^Sent event /)).toBeVisible();
  const deliveries = page.getByRole("list", { name: "Deliveries, newest first" });
  await expect(deliveries.getByText("succeeded")).toBeVisible({ timeout: 20_000 });
  await expect(deliveries.getByText("HTTP 200")).toBeVisible();
  await snapshot(page, "listeners-11-test-event-delivered");

  // Rotation: a new secret, the old one still signing for a while.
  await page.getByRole("button", { name: "Reveal" }).click();
  const secret = page.getByTestId("listener-secret");
  await expect(secret).toHaveText(/^whsec_/);
  const before = await secret.textContent();
  await page.getByRole("button", { name: "Rotate" }).click();
  await expect(page.getByRole("alertdialog", { name: "Rotate the signing secret?" })).toBeVisible();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(secret).toHaveText(/^whsec_/);
  await expect(secret).not.toHaveText(before ?? "");
  await expect(page.getByText(/The previous secret also signs until/)).toBeVisible();

  // Disabled by the user: the reason shows and test events are refused.
  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByText("Disabled: no events are delivered to this listener.")).toBeVisible();
  await expect(page.getByText("Reason: Disabled by a user")).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
  await snapshot(page, "listeners-12-disabled");
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(page.getByRole("heading", { name: /Listener/, level: 1 })).toContainText("Enabled");

  // Editing: the stored filter fills the rows; a filter rows cannot show stays JSON.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByLabel("Condition on plan")).toHaveValue("$in");
  await expect(page.getByLabel("Value for plan")).toHaveValue("pro, team");
  await page.getByRole("button", { name: "Edit as JSON" }).click();
  await page
    .getByLabel("Filter (JSON)")
    .fill('{"plan": {"$in": ["pro"]}, "email": {"$endswith": "@vandelay.com", "$not": "art@vandelay.com"}}');
  await page.getByRole("button", { name: "Edit as fields" }).click();
  await expect(page.getByText(/keep editing it as JSON/)).toBeVisible();
  await page.getByLabel("Filter (JSON)").fill('{"plan": {"$in": ["pro"]}, "secret": 1}');
  await expect(page.getByText('the hook does not provide "secret"', { exact: false })).toBeVisible();
  await page
    .getByLabel("Filter (JSON)")
    .fill('{"plan": {"$in": ["pro"]}, "email": {"$endswith": "@vandelay.com", "$not": "art@vandelay.com"}}');
  await snapshot(page, "listeners-13-edit-as-json");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(listenerUrl);
  const filter = page.getByRole("region", { name: "Filter" });
  await expect(filter.getByText('email ends with "@vandelay.com"')).toBeVisible();
  await expect(filter.getByText('email is not "art@vandelay.com"')).toBeVisible();

  // Deleting asks first, then returns to the hook.
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Delete listener" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/hooks/signup$`));
  await expect(page.getByText("No listener yet")).toBeVisible();

  // Revoking a key asks first; the API refuses it afterwards.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("kramerica")).toBeVisible();
  await page.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("alertdialog", { name: "Revoke “kramerica”?" })).toBeVisible();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Revoked")).toBeVisible();
  await expect(page.getByText(/last used/)).toBeVisible();
  await snapshot(page, "listeners-14-api-key-revoked");
  expect((await durian.get("/hooks")).status()).toBe(401);
});

test("a relay listener opened for `durian listen` is marked as one, and its page says where its deliveries go", async ({
  page,
  request,
}) => {
  await signUp(page, { name: "Newman", email: uniqueEmail("newman") });
  const projectId = projectIdFromUrl(page);
  const key = await createApiKey(page, "newman laptop");
  const durian = api(request, key);
  expect((await durian.put("/hooks/mail", { providesArgs: ["to", "subject"] })).status()).toBe(201);
  // The request `durian listen` makes, and an ordinary listener beside it.
  const relay = await durian.post("/relay/listeners", {
    hook: "mail",
    name: "durian listen on newman-laptop",
    forward: "http://localhost:3000/webhooks",
  });
  expect(relay.status()).toBe(201);
  expect(
    (
      await durian.post("/listeners", { hook: "mail", name: "Post office", url: "https://example.com/mail" })
    ).status(),
  ).toBe(201);

  await page.goto(`/projects/${projectId}/hooks/mail`);
  const listeners = page.getByRole("region", { name: "Listeners" });
  const relayItem = listeners.getByRole("listitem").filter({ hasText: "durian listen on newman-laptop" });
  const ordinaryItem = listeners.getByRole("listitem").filter({ hasText: "Post office" });
  await expect(relayItem.getByText("Relay", { exact: true })).toBeVisible();
  await expect(ordinaryItem).toBeVisible();
  await expect(ordinaryItem.getByText("Relay", { exact: true })).toHaveCount(0);
  await snapshot(page, "listeners-relay-01-hook-listeners");

  await relayItem.getByRole("link", { name: "durian listen on newman-laptop" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("durian listen on newman-laptop");
  await expect(heading.getByText("Relay", { exact: true })).toBeVisible();
  await expect(page.getByRole("note", { name: "Relay listener" })).toContainText(
    "Durian does not POST its deliveries to this URL",
  );
  await expect(page.getByRole("note", { name: "Relay listener" })).toContainText(
    "http://localhost:3000/webhooks",
  );
  // Pinging a URL on someone's laptop to heal it makes no sense: opening `durian listen` again does.
  await expect(page.getByText("Self-healing")).toHaveCount(0);
  // `durian listen` owns its hook, filter, name and URL: an edit would detach it from the next run.
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  await snapshot(page, "listeners-relay-02-detail");

  await page.goBack();
  await listeners.getByRole("link", { name: "Post office" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Post office");
  await expect(page.getByText("Self-healing")).toBeVisible();
  await expect(page.getByRole("note", { name: "Relay listener" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toBeVisible();
});
