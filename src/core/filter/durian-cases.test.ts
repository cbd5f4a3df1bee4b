import { describe, expect, it } from "vitest";
import { matchesFilter } from "./compile";

// The cases from durian's README and test suite, in the shared filter JSON.
describe("durian's cases", () => {
  const joe = { name: "Joe", address: "Elm Street" };
  const simon = { name: "Simon", address: "Elm Street" };
  const jerry = { name: "Jerry", address: "Upper West Side" };

  it("a listener filtered on name Joe gets Joe's event and not Simon's", () => {
    const filter = { name: "Joe" };
    expect(matchesFilter(filter, joe)).toBe(true);
    expect(matchesFilter(filter, simon)).toBe(false);
  });

  it('a Startswith("J") listener gets Joe and Jerry, not Simon', () => {
    const filter = { name: { $startswith: "J" } };
    expect(matchesFilter(filter, joe)).toBe(true);
    expect(matchesFilter(filter, jerry)).toBe(true);
    expect(matchesFilter(filter, simon)).toBe(false);
  });

  it("an unfiltered listener gets every event", () => {
    for (const person of [joe, simon, jerry, {}]) expect(matchesFilter({}, person)).toBe(true);
  });

  describe("George Constanza", () => {
    const filter = {
      name: "George Constanza",
      address: { $endswith: "New York City" },
      phone: { $startswith: "212" },
      email: { $contains: "@vandelay" },
    };
    const george = {
      name: "George Constanza",
      address: "Border Lane, New York City",
      phone: "212 555 88 23",
      email: "george@vandelay.com",
    };

    it("matches George", () => {
      expect(matchesFilter(filter, george)).toBe(true);
    });

    it.each([
      ["name", "George Costanza"],
      ["address", "Border Lane, Newark"],
      ["phone", "718 555 88 23"],
      ["email", "george@kramerica.com"],
    ])("fails when %s changes", (field, value) => {
      expect(matchesFilter(filter, { ...george, [field]: value })).toBe(false);
    });

    it.each(["name", "address", "phone", "email"])("fails when %s is missing", (field) => {
      const { [field as keyof typeof george]: _dropped, ...rest } = george;
      expect(matchesFilter(filter, rest)).toBe(false);
    });
  });
});
