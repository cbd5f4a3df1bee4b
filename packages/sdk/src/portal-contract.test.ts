// The SDK's portal methods against the REAL /api/v1 handlers and a real test database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch, startApiHarness, TEST_ORIGIN, type ApiHarness } from "@/testing/api-harness";
import { Durian, DurianApiError, Hook } from "./index";

let harness: ApiHarness;
let durian: Durian;

beforeAll(async () => {
  harness = await startApiHarness();
  durian = new Durian({
    url: TEST_ORIGIN,
    apiKey: harness.apiKey,
    fetch: (input, init) => dispatch(new Request(input, { ...init, duplex: "half" } as RequestInit)),
  });
});
afterAll(() => harness?.close());

describe("SDK ↔ /api/v1/portal", () => {
  it("tags listeners with a customer and creates, lists and revokes that customer's portal links", async () => {
    const invoice = durian.hooks.register(new Hook({ name: "invoice.paid", providesArgs: ["amount"] }));
    await durian.hooks.sync();
    const listener = await invoice.listener({ url: "https://example.com/in", customer: "cus_7" }).save();
    expect(listener.customer).toBe("cus_7");
    expect((await durian.listListeners({ customer: "cus_7" })).items.map((item) => item.id)).toEqual([
      listener.id,
    ]);

    await durian.putPortalSettings({ allowedOrigins: ["https://app.example.com"], theme: { name: "Acme" } });
    const link = await durian.createPortalLink({ customer: "cus_7", expiresIn: 600 });
    expect(link.url).toMatch(/\/portal\/dpl_/);
    const stored = () => harness.db.portalLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(await stored()).toMatchObject({
      customer: "cus_7",
      projectId: harness.projectId,
      revokedAt: null,
    });

    expect((await durian.listPortalLinks({ customer: "cus_7" })).items.map((item) => item.id)).toEqual([
      link.id,
    ]);
    await durian.revokePortalLink(link.id);
    expect((await stored()).revokedAt).toBeInstanceOf(Date);
  });

  it("surfaces the API's refusal of a link beyond 7 days, naming the field", async () => {
    const error = await durian
      .createPortalLink({ customer: "cus_7", expiresIn: 8 * 86_400 })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(DurianApiError);
    expect((error as DurianApiError).errors.map((fieldError) => fieldError.path)).toEqual(["expiresIn"]);
  });
});
