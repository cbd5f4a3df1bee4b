import { describe, expect, it } from "vitest";
import { EMPTY_ALLOWLIST, parseAllowlist } from "./allowlist";
import { addressRefusal, checkDestinationUrl, type ResolveHost } from "./destination";
import { checkDestination, guardedLookup } from "./destination-dns";

describe("checkDestinationUrl (no DNS)", () => {
  it("allows public http(s) URLs and host names it cannot judge without DNS", () => {
    for (const url of [
      "https://example.com/hooks",
      "http://8.8.8.8:8080/x",
      "https://[2606:4700:4700::1111]/",
    ]) {
      expect(checkDestinationUrl(url, EMPTY_ALLOWLIST)).toMatchObject({ allowed: true });
    }
  });

  it.each([
    ["not a url", "invalid-url"],
    ["/relative", "invalid-url"],
    ["ftp://example.com/", "unsupported-protocol"],
    ["javascript:alert(1)", "unsupported-protocol"],
    ["https://user:pass@example.com/", "credentials-in-url"],
    ["http://127.0.0.1:3000/", "blocked-address"],
    ["http://2130706433/", "blocked-address"],
    ["http://0x7f.1/", "blocked-address"],
    ["http://[::1]/", "blocked-address"],
    ["http://[::ffff:127.0.0.1]/", "blocked-address"],
    ["http://[::ffff:169.254.169.254]/", "blocked-address"],
    ["http://[fe80::1]/", "blocked-address"],
    ["http://[fd00::1]/", "blocked-address"],
    ["http://10.0.0.8/", "blocked-address"],
    ["http://100.64.1.1/", "blocked-address"],
    ["http://169.254.169.254/latest/meta-data/", "blocked-address"],
    ["http://0.0.0.0/", "blocked-address"],
    ["http://localhost:8080/", "blocked-address"],
    ["http://api.localhost/", "blocked-address"],
    ["http://metadata.google.internal/computeMetadata/v1/", "blocked-hostname"],
    ["http://METADATA.GOOGLE.INTERNAL./", "blocked-hostname"],
  ])("refuses %s (%s)", (url, reason) => {
    const check = checkDestinationUrl(url, EMPTY_ALLOWLIST);
    expect(check).toMatchObject({ allowed: false, reason });
    if (!check.allowed) expect(check.message).toMatch(/^url: /);
  });

  it("lets the allowlist exempt addresses, ranges and names", () => {
    const allowlist = parseAllowlist("127.0.0.1,10.0.0.0/8,metadata.google.internal,::1");
    for (const url of [
      "http://127.0.0.1:3000/",
      "http://[::ffff:127.0.0.1]/",
      "http://localhost:3000/",
      "http://10.9.8.7/",
      "http://[::1]:8080/",
      "http://metadata.google.internal/",
    ]) {
      expect(checkDestinationUrl(url, allowlist), url).toMatchObject({ allowed: true });
    }
    expect(checkDestinationUrl("http://127.0.0.2/", allowlist)).toMatchObject({ allowed: false });
    expect(checkDestinationUrl("http://192.168.0.1/", allowlist)).toMatchObject({ allowed: false });
  });

  it("lets an entry with a port exempt that port only", () => {
    const allowlist = parseAllowlist("127.0.0.1:4000,[::1]:4000,localhost:4000,internal.example:80");
    for (const url of [
      "http://127.0.0.1:4000/hook",
      "http://[::1]:4000/",
      "http://localhost:4000/",
      "http://internal.example/",
    ]) {
      expect(checkDestinationUrl(url, allowlist), url).toMatchObject({ allowed: true });
    }
    for (const url of [
      "http://127.0.0.1:5432/",
      "http://127.0.0.1/",
      "https://127.0.0.1:4001/",
      "http://[::1]:5432/",
      "http://localhost:5432/",
      "http://localhost/",
    ]) {
      expect(checkDestinationUrl(url, allowlist), url).toMatchObject({
        allowed: false,
        reason: "blocked-address",
      });
    }
    const refused = checkDestinationUrl("http://127.0.0.1:5432/", allowlist);
    if (!refused.allowed) expect(refused.message).toContain("for port 5432");
  });

  it("judges a URL and an address again for each allowlist, though it remembers its answers", () => {
    const url = "http://127.0.0.1:4000/hooks";
    const exempt = parseAllowlist("127.0.0.1:4000");
    for (let round = 0; round < 2; round++) {
      expect(checkDestinationUrl(url, EMPTY_ALLOWLIST).allowed).toBe(false);
      expect(checkDestinationUrl(url, exempt).allowed).toBe(true);
      expect(addressRefusal("127.0.0.1", 4000, EMPTY_ALLOWLIST)).toMatch(/^127.0.0.1 is a loopback address/);
      expect(addressRefusal("127.0.0.1", 4000, exempt)).toBeNull();
      expect(addressRefusal("127.0.0.1", 4001, exempt)).not.toBeNull();
    }
  });

  it("counts a URL without a port as its scheme's default port", () => {
    expect(checkDestinationUrl("https://127.0.0.1/", parseAllowlist("127.0.0.1:443"))).toMatchObject({
      allowed: true,
    });
    expect(checkDestinationUrl("http://127.0.0.1/", parseAllowlist("127.0.0.1:443"))).toMatchObject({
      allowed: false,
    });
    expect(checkDestinationUrl("http://127.0.0.1/", parseAllowlist("127.0.0.1:80"))).toMatchObject({
      allowed: true,
    });
  });
});

const fakeDns =
  (records: Record<string, { address: string; family: number }[]>): ResolveHost =>
  async (hostname) => {
    const found = records[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return found;
  };

const dns = fakeDns({
  "public.example": [{ address: "93.184.215.14", family: 4 }],
  "private.example": [{ address: "10.1.2.3", family: 4 }],
  "mixed.example": [
    { address: "10.1.2.3", family: 4 },
    { address: "93.184.215.14", family: 4 },
    { address: "fd00::5", family: 6 },
    { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
  ],
  "mapped.example": [{ address: "::ffff:169.254.169.254", family: 6 }],
});

describe("checkDestination (with DNS)", () => {
  it("judges the addresses a name resolves to", async () => {
    await expect(checkDestination("https://public.example/", EMPTY_ALLOWLIST, dns)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(checkDestination("https://mixed.example/", EMPTY_ALLOWLIST, dns)).resolves.toMatchObject({
      allowed: true,
    });
    const refused = await checkDestination("https://private.example/", EMPTY_ALLOWLIST, dns);
    expect(refused).toMatchObject({ allowed: false, reason: "blocked-address" });
    if (!refused.allowed) expect(refused.message).toContain("private.example resolves to 10.1.2.3");
    await expect(checkDestination("https://mapped.example/", EMPTY_ALLOWLIST, dns)).resolves.toMatchObject({
      allowed: false,
      reason: "blocked-address",
    });
  });

  it("reports a name that does not resolve as unresolvable, not blocked", async () => {
    await expect(checkDestination("https://nothing.invalid/", EMPTY_ALLOWLIST, dns)).resolves.toMatchObject({
      allowed: false,
      reason: "unresolvable",
    });
  });

  it("judges resolved addresses against the URL's port", async () => {
    const allowlist = parseAllowlist("10.1.2.3:8080");
    await expect(checkDestination("http://private.example:8080/", allowlist, dns)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(checkDestination("http://private.example:5432/", allowlist, dns)).resolves.toMatchObject({
      allowed: false,
      reason: "blocked-address",
    });
  });

  it("skips DNS for allowlisted names", async () => {
    await expect(
      checkDestination("https://private.example/", parseAllowlist("private.example"), dns),
    ).resolves.toMatchObject({ allowed: true });
  });
});

function lookupWith(
  allowlist: ReturnType<typeof parseAllowlist>,
  hostname: string,
  options: { all?: boolean; family?: number },
  port = 443,
) {
  return new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((resolve) => {
    guardedLookup(allowlist, port, dns)(hostname, options, ((
      error: NodeJS.ErrnoException | null,
      address: unknown,
      family?: number,
    ) => resolve({ error, result: options.all ? address : { address, family } })) as never);
  });
}

describe("guardedLookup (the address connected to)", () => {
  it("keeps only allowed addresses of a name", async () => {
    const all = await lookupWith(EMPTY_ALLOWLIST, "mixed.example", { all: true });
    expect(all.error).toBeNull();
    expect(all.result).toEqual([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
    const one = await lookupWith(EMPTY_ALLOWLIST, "mixed.example", { family: 6 });
    expect(one.result).toEqual({ address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 });
  });

  it("fails with a blocked error when no address is allowed", async () => {
    const { error } = await lookupWith(EMPTY_ALLOWLIST, "private.example", {});
    expect(error).toMatchObject({ code: "EDURIAN_BLOCKED", reason: "blocked-address" });
    expect(error?.message).toContain("a private network address");
  });

  it("passes DNS failures through unchanged", async () => {
    const { error } = await lookupWith(EMPTY_ALLOWLIST, "nothing.invalid", {});
    expect(error?.code).toBe("ENOTFOUND");
  });

  it("honours the allowlist for addresses and names", async () => {
    expect((await lookupWith(parseAllowlist("10.0.0.0/8"), "private.example", {})).result).toEqual({
      address: "10.1.2.3",
      family: 4,
    });
    expect((await lookupWith(parseAllowlist("mapped.example"), "mapped.example", {})).error).toBeNull();
  });

  it("honours an entry's port: only connections to that port get the address", async () => {
    const byAddress = parseAllowlist("10.1.2.3:8080");
    expect((await lookupWith(byAddress, "private.example", {}, 8080)).result).toEqual({
      address: "10.1.2.3",
      family: 4,
    });
    expect((await lookupWith(byAddress, "private.example", {}, 5432)).error).toMatchObject({
      code: "EDURIAN_BLOCKED",
    });
    const byName = parseAllowlist("private.example:8080");
    expect((await lookupWith(byName, "private.example", {}, 8080)).error).toBeNull();
    expect((await lookupWith(byName, "private.example", {}, 5432)).error).toMatchObject({
      code: "EDURIAN_BLOCKED",
    });
  });
});
