// The SDK's portal methods against the REAL /api/v1 handlers and a real test database.
import { describe, expect, it } from "vitest";
import { DurianApiError, Hook } from "./index";
import { useRealDurianApi } from "../test-support/real-durian-api";

const api = useRealDurianApi();

describe("SDK ↔ /api/v1/portal", () => {
  it("tags listeners with a customer and creates, lists and revokes that customer's portal links", async () => {
    const invoice = api.durian.hooks.register(new Hook({ name: "invoice.paid", providesArgs: ["amount"] }));
    await api.durian.hooks.sync();
    const listener = await invoice.listener({ url: "https://example.com/in", customer: "cus_7" }).save();
    expect(listener.customer).toBe("cus_7");
    expect((await api.durian.listListeners({ customer: "cus_7" })).items.map((item) => item.id)).toEqual([
      listener.id,
    ]);

    await api.durian.putPortalSettings({
      allowedOrigins: ["https://app.example.com"],
      theme: { name: "Acme" },
    });
    const link = await api.durian.createPortalLink({ customer: "cus_7", expiresIn: 600 });
    expect(link.url).toMatch(/\/portal\/dpl_/);
    const stored = () => api.harness.db.portalLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(await stored()).toMatchObject({
      customer: "cus_7",
      projectId: api.harness.projectId,
      revokedAt: null,
    });

    expect((await api.durian.listPortalLinks({ customer: "cus_7" })).items.map((item) => item.id)).toEqual([
      link.id,
    ]);
    await api.durian.revokePortalLink(link.id);
    expect((await stored()).revokedAt).toBeInstanceOf(Date);
  });

  it("surfaces the API's refusal of a link beyond 7 days, naming the field", async () => {
    const error = await api.durian
      .createPortalLink({ customer: "cus_7", expiresIn: 8 * 86_400 })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(DurianApiError);
    expect((error as DurianApiError).errors.map((fieldError) => fieldError.path)).toEqual(["expiresIn"]);
  });
});
