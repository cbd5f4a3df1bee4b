import { describe, expect, it } from "vitest";
import { listenerLabel, middleEllipsis, SHORT_URL_LENGTH, shortenUrl } from "./listener-label";

describe("middleEllipsis", () => {
  it("leaves short text alone and keeps both ends of long text", () => {
    expect(middleEllipsis("abc", 3)).toBe("abc");
    expect(middleEllipsis("abcdefghij", 7)).toBe("abc…hij");
    expect(middleEllipsis("abcdefghij", 6)).toBe("ab…hij");
  });
});

describe("shortenUrl", () => {
  it("drops the scheme and a bare trailing slash, and keeps a short URL whole", () => {
    expect(shortenUrl("http://127.0.0.1:4101/")).toBe("127.0.0.1:4101");
    expect(shortenUrl("https://example.com/webhooks/durian?v=2")).toBe("example.com/webhooks/durian?v=2");
  });

  it("keeps the port and the end of the path, which tell listeners on one host apart", () => {
    const first = "http://127.0.0.1:4101/api/inspect/0123456789abcdef0123456789/crm";
    const second = "http://127.0.0.1:4102/api/inspect/0123456789abcdef0123456789/billing";
    expect(shortenUrl(first)).toMatch(/^127\.0\.0\.1:4101…[0-9a-f]+\/crm$/);
    expect(shortenUrl(second)).toMatch(/^127\.0\.0\.1:4102…[0-9a-f]+\/billing$/);
    for (const url of [first, second]) expect(shortenUrl(url).length).toBeLessThanOrEqual(SHORT_URL_LENGTH);
  });

  it("shortens a long host in its middle, so its port survives", () => {
    const short = shortenUrl("https://a-very-long-subdomain.of-some-company.example.com:8443/hooks/orders");
    expect(short.length).toBeLessThanOrEqual(SHORT_URL_LENGTH);
    expect(short).toMatch(/^a-very-.*….*\.com:8443\/hooks\/orders$/);
  });

  it("keeps the end of a long path, from a whole segment when one starts near the cut", () => {
    expect(shortenUrl("https://example.com/customers/enterprise/accounts/webhooks/orders")).toBe(
      "example.com…/accounts/webhooks/orders",
    );
  });

  it("keeps the end of a path whose last segment is long", () => {
    const short = shortenUrl(`https://example.com/${"x".repeat(60)}-end`);
    expect(short.length).toBe(SHORT_URL_LENGTH);
    expect(short).toMatch(/^example\.com…x+-end$/);
  });

  it("shortens text that is not a URL in its middle", () => {
    expect(shortenUrl("not a url at all, and a rather long one too, really", 20)).toBe(
      "not a url…oo, really",
    );
  });
});

describe("listenerLabel", () => {
  it("is the name when there is one, else the shortened URL", () => {
    expect(listenerLabel({ name: "CRM sync", url: "https://example.com/a" })).toBe("CRM sync");
    expect(listenerLabel({ name: null, url: "https://example.com/a" })).toBe("example.com/a");
  });
});
