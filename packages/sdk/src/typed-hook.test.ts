import { describe, expect, expectTypeOf, it } from "vitest";
import { Hook, InvalidHookDefinition, InvalidPayload, type JsonValue, type PayloadOf } from "./index";
import { useFakeDurianApi } from "../test-support/fake-durian-api";

const fake = useFakeDurianApi();

const MEMBER_FIELDS = [
  "note",
  { name: "email", schema: { type: "string" }, required: true },
  { name: "age", schema: { type: "integer", minimum: 0 } },
  { name: "plan", schema: { enum: ["free", "pro"] } },
  {
    name: "address",
    schema: {
      type: "object",
      properties: { city: { type: "string" }, zip: { type: "string" } },
      required: ["city"],
    },
  },
  { name: "tags", schema: { type: "array", items: { type: "string" } } },
] as const;

const eventBodies = () =>
  fake.api.requests.filter((request) => request.path.endsWith("/events")).map((request) => request.body);

describe("a hook with typed fields", () => {
  it("types send()'s payload from the declaration", () => {
    const member = new Hook({ name: "member", providesArgs: MEMBER_FIELDS });
    expectTypeOf(member.send).parameter(1).toEqualTypeOf<{
      email: string;
      note?: JsonValue;
      age?: number;
      plan?: "free" | "pro";
      address?: { city: string; zip?: string };
      tags?: string[];
    }>();
    // Declared inline, without `as const`, the literal types are kept as well.
    const inline = new Hook({
      name: "inline",
      providesArgs: ["a", { name: "b", schema: { type: "boolean" }, required: true }],
    });
    expectTypeOf(inline.send).parameter(1).toEqualTypeOf<{ b: boolean; a?: JsonValue }>();
    // Bare names keep the loose payload of before.
    expectTypeOf<PayloadOf<readonly ["name", "email"]>>().toEqualTypeOf<Record<string, unknown>>();
  });

  it("syncs the types with the definition, and sends only payloads of those types", async () => {
    const member = fake.durian.hooks.register(new Hook({ name: "member", providesArgs: MEMBER_FIELDS }));
    await fake.durian.hooks.sync();
    const put = fake.api.requests.find((request) => request.method === "PUT");
    expect(put?.body).toMatchObject({ providesArgs: JSON.parse(JSON.stringify(MEMBER_FIELDS)) });

    await member.send(null, { email: "e@example.com", plan: "pro", address: { city: "Queens" } });
    // Sent for the version the sync answered with.
    expect(eventBodies()).toEqual([
      { payload: { email: "e@example.com", plan: "pro", address: { city: "Queens" } }, version: 1 },
    ]);

    // @ts-expect-error age is a number
    await expect(member.send(null, { email: "e@example.com", age: "forty" })).rejects.toThrow(
      new InvalidPayload('Hook "member": payload field "age" must be an integer, got the string "forty"'),
    );
    // @ts-expect-error city is required
    await expect(member.send(null, { email: "e@example.com", address: {} })).rejects.toThrow(
      'payload field "address.city" is required',
    );
    expect(eventBodies()).toHaveLength(1);
  });

  it("refuses a malformed declaration where it is written", () => {
    expect(() => new Hook({ name: "bad", providesArgs: [{ name: "" }] })).toThrow(InvalidHookDefinition);
    expect(
      () =>
        new Hook({
          name: "bad",
          // @ts-expect-error a schema is an object
          providesArgs: [{ name: "age", schema: "integer" }],
        }),
    ).toThrow('Hook "bad": providesArgs[0].schema must be a JSON Schema object');
  });
});
