import { describe, expect, it } from "vitest";
import { projectPayload, unknownPayloadFields } from "./project";

const PROVIDES = ["name", "address"];

describe("projectPayload", () => {
  it("keeps only the provided fields: durian's secret never gets through", () => {
    const projected = projectPayload({ name: "Joe", address: "Elm St", secret: "s3cr3t" }, PROVIDES);
    expect(projected).toEqual({ name: "Joe", address: "Elm St" });
    expect(JSON.stringify(projected)).not.toContain("s3cr3t");
  });

  it("leaves a provided field the sender left out absent, not null", () => {
    const projected = projectPayload({ name: "Joe" }, PROVIDES);
    expect(projected).toEqual({ name: "Joe" });
    expect(Object.hasOwn(projected, "address")).toBe(false);
    expect(JSON.stringify(projected)).toBe('{"name":"Joe"}');
  });

  it("keeps null, false, 0 and empty strings that were sent", () => {
    const projected = projectPayload({ a: null, b: false, c: 0, d: "" }, ["a", "b", "c", "d"]);
    expect(projected).toEqual({ a: null, b: false, c: 0, d: "" });
  });

  it("treats undefined as not sent", () => {
    expect(projectPayload({ name: undefined, address: "x" }, PROVIDES)).toEqual({ address: "x" });
  });

  it("orders fields as providesArgs declares them", () => {
    expect(Object.keys(projectPayload({ address: "x", name: "y" }, PROVIDES))).toEqual(["name", "address"]);
  });

  it("ignores inherited properties and keeps a __proto__ field as data", () => {
    expect(projectPayload({}, ["toString", "constructor"])).toEqual({});
    const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const projected = projectPayload(parsed, ["__proto__"]);
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
    expect(Object.hasOwn(projected, "__proto__")).toBe(true);
  });
});

describe("unknownPayloadFields", () => {
  it("lists the fields the hook does not provide, in payload order", () => {
    expect(unknownPayloadFields({ secret: 1, name: "Joe", extra: 2 }, PROVIDES)).toEqual(["secret", "extra"]);
    expect(unknownPayloadFields({ name: "Joe" }, PROVIDES)).toEqual([]);
  });
});
