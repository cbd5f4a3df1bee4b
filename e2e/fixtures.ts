import { test as base, type BrowserContext, expect } from "@playwright/test";
import { projectIdFromUrl, signUp, uniqueEmail } from "./support";

/** A signed-up user's project with a hook, a listener and an event, and that user's session. */
export interface ProjectWithData {
  projectId: string;
  listenerId: string;
  eventId: string;
  storageState: Awaited<ReturnType<BrowserContext["storageState"]>>;
}

/**
 * `projectWithData` is made once per worker and shared by its tests, so tests that each visit one
 * page need not each sign up. Use `signedInAsProjectOwner` in a describe to start its pages signed in.
 */
export const test = base.extend<object, { projectWithData: ProjectWithData }>({
  projectWithData: [
    async ({ browser }, use, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      const page = await context.newPage();
      await signUp(page, { name: "Audrey", email: uniqueEmail("audrey") });
      const projectId = projectIdFromUrl(page);

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

      const storageState = await context.storageState();
      await context.close();
      await use({ projectId, listenerId, eventId, storageState });
    },
    // Its own time, not the first test's: signing up takes long on a busy machine, and a worker
    // restarted after a failure makes it again.
    { scope: "worker", timeout: 120_000 },
  ],
});

export { expect };

/** For `test.use(…)`: the describe's pages start with the project owner's session. */
export const signedInAsProjectOwner = {
  storageState: async (
    { projectWithData }: { projectWithData: ProjectWithData },
    use: (state: ProjectWithData["storageState"]) => Promise<void>,
  ) => use(projectWithData.storageState),
};

/** The dashboard's pages of a project with data, by label. */
export const PROJECT_PAGES: [label: string, path: (data: ProjectWithData) => string][] = [
  ["hooks", ({ projectId }) => `/projects/${projectId}`],
  ["hook detail", ({ projectId }) => `/projects/${projectId}/hooks/person`],
  ["new listener form", ({ projectId }) => `/projects/${projectId}/hooks/person/listeners/new`],
  ["listener detail", ({ projectId, listenerId }) => `/projects/${projectId}/listeners/${listenerId}`],
  ["listener edit", ({ projectId, listenerId }) => `/projects/${projectId}/listeners/${listenerId}/edit`],
  ["delivery log", ({ projectId }) => `/projects/${projectId}/deliveries`],
  ["events", ({ projectId }) => `/projects/${projectId}/events`],
  ["event detail", ({ projectId, eventId }) => `/projects/${projectId}/events/${eventId}`],
  ["inspector", ({ projectId }) => `/projects/${projectId}/inspector`],
  ["API keys", ({ projectId }) => `/projects/${projectId}/api-keys`],
  ["customer portal settings", ({ projectId }) => `/projects/${projectId}/portal`],
  ["members", ({ projectId }) => `/projects/${projectId}/members`],
];
