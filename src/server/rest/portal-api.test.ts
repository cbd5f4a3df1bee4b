import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdPortalLinkSchema, portalLinkListSchema, portalSettingsSchema } from "@/contracts";
import { hashPortalToken } from "@/server/services/portal/links";
import { type ApiHarness, startApiHarness, TEST_ORIGIN } from "@/testing/api-harness";

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness();
  await api.call("PUT", "/hooks/invoice", { body: { providesArgs: ["amount"] } });
});
afterAll(() => api?.close());

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

describe("POST /portal/links", () => {
  it("creates a link for one customer that expires in an hour by default, storing only its hash", async () => {
    const before = Date.now();
    const response = await api.call("POST", "/portal/links", { body: { customer: " cus_1 " } });
    expect(response.status).toBe(201);
    const link = createdPortalLinkSchema.parse(response.body);
    expect(link.customer).toBe("cus_1");
    expect(link.url).toMatch(new RegExp(`^${TEST_ORIGIN}/portal/dpl_[A-Za-z0-9_-]{43}$`));
    const expiresIn = new Date(link.expiresAt).getTime() - before;
    expect(expiresIn).toBeGreaterThan(3_590_000);
    expect(expiresIn).toBeLessThan(3_700_000);
    const row = await api.db.portalLink.findUniqueOrThrow({ where: { id: link.id } });
    expect(row.tokenHash).toBe(hashPortalToken(tokenOf(link.url)));
    expect(JSON.stringify(row)).not.toContain(tokenOf(link.url));
  });

  it("refuses a blank customer and a lifetime beyond 7 days, naming the fields", async () => {
    const response = await api.call("POST", "/portal/links", {
      body: { customer: "  ", expiresIn: 8 * 24 * 3600 },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "customer",
      "expiresIn",
    ]);
  });

  it("lists links without tokens and revokes one; another project's link is not found", async () => {
    const created = (
      await api.call("POST", "/portal/links", { body: { customer: "cus_list", expiresIn: 60 } })
    ).body;
    const list = portalLinkListSchema.parse((await api.call("GET", "/portal/links?customer=cus_list")).body);
    expect(list.items.map((link) => link.id)).toEqual([created.id]);
    expect(JSON.stringify(list)).not.toContain("dpl_");

    const other = await api.otherProject();
    expect((await api.call("DELETE", `/portal/links/${created.id}`, { apiKey: other.apiKey })).status).toBe(
      404,
    );
    expect((await api.call("DELETE", `/portal/links/${created.id}`)).status).toBe(204);
    const revoked = (await api.call("GET", "/portal/links?customer=cus_list")).body.items[0];
    expect(revoked.revokedAt).not.toBeNull();
  });
});

describe("PUT /portal/settings", () => {
  it("stores exact origins and a theme, and reads them back", async () => {
    const settings = {
      allowedOrigins: ["https://app.example.com", "http://127.0.0.1:3225"],
      theme: { name: "Acme", logoUrl: "https://cdn.example.com/logo.svg", primaryColor: "#AA3300" },
    };
    const put = await api.call("PUT", "/portal/settings", { body: settings });
    expect(put.status).toBe(200);
    const expected = { ...settings, theme: { ...settings.theme, primaryColor: "#aa3300" } };
    expect(portalSettingsSchema.parse(put.body)).toEqual(expected);
    expect((await api.call("GET", "/portal/settings")).body).toEqual(expected);
  });

  it("refuses origins that are not exactly scheme://host[:port], naming each", async () => {
    const response = await api.call("PUT", "/portal/settings", {
      body: {
        allowedOrigins: [
          "https://app.example.com/",
          "https://app.example.com/embed",
          "ftp://files.example.com",
          "app.example.com",
          "https://ok.example.com",
        ],
        theme: { primaryColor: "red", logoUrl: "javascript:alert(1)" },
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([
      "allowedOrigins.0",
      "allowedOrigins.1",
      "allowedOrigins.2",
      "allowedOrigins.3",
      "theme.logoUrl",
      "theme.primaryColor",
    ]);
  });
});

describe("listeners' customer tag", () => {
  it("is set on creation, changed or removed by PATCH, and filters the list", async () => {
    const tagged = (
      await api.call("POST", "/listeners", {
        body: { hook: "invoice", url: "https://example.com/a", customer: "cus_tag" },
      })
    ).body;
    const untagged = (
      await api.call("POST", "/listeners", { body: { hook: "invoice", url: "https://example.com/b" } })
    ).body;
    expect(tagged.customer).toBe("cus_tag");
    expect(untagged.customer).toBeNull();

    const listed = (await api.call("GET", "/listeners?customer=cus_tag")).body.items;
    expect(listed.map((listener: { id: string }) => listener.id)).toEqual([tagged.id]);

    const moved = await api.call("PATCH", `/listeners/${untagged.id}`, { body: { customer: "cus_tag" } });
    expect(moved.body.customer).toBe("cus_tag");
    const cleared = await api.call("PATCH", `/listeners/${tagged.id}`, { body: { customer: null } });
    expect(cleared.body.customer).toBeNull();
    const relisted = (await api.call("GET", "/listeners?customer=cus_tag")).body.items;
    expect(relisted.map((listener: { id: string }) => listener.id)).toEqual([untagged.id]);
  });
});
