import { describe, expect, it } from "vitest";
import { z } from "zod";
import { filterSchema, MAX_FILTER_DEPTH, validateFilter, type FilterError } from "./schema";

const PROVIDES = ["name", "address", "customer", "age"];

function errorsOf(filter: unknown, providesArgs: readonly string[] = PROVIDES): FilterError[] {
  const result = validateFilter(filter, providesArgs);
  if (result.ok) throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
  return result.errors;
}

describe("validateFilter accepts", () => {
  it.each([
    {},
    { name: "Joe" },
    { name: { $startswith: "J" }, age: { $gte: 18, $lt: 65 } },
    { customer: { email: { $like: "@vandelay\\.com$" }, address: { city: "NYC" } } },
    { "customer.email": { $contains: "@" } },
    { name: { $in: ["Joe", "Jerry"] }, age: { $not: { $gt: 90 } } },
    { name: { $not: "Simon" }, address: { $exists: false }, age: { $any: true } },
    { customer: { $is: { id: 1 } } },
    { customer: [1, 2] },
    { name: null },
  ])("%j", (filter) => {
    expect(validateFilter(filter, PROVIDES)).toEqual({ ok: true, filter });
  });
});

describe("validateFilter refuses, naming the field and the problem", () => {
  it("an unknown operator", () => {
    expect(errorsOf({ name: { $startsWith: "J" } })).toEqual([
      {
        field: "name",
        path: ["name", "$startsWith"],
        message: expect.stringMatching(/^name: unknown operator "\$startsWith"/),
      },
    ]);
  });

  it("a bad regular expression", () => {
    const [error] = errorsOf({ customer: { email: { $like: "(abc" } } });
    expect(error).toMatchObject({ field: "customer.email", path: ["customer", "email", "$like"] });
    expect(error?.message).toMatch(
      /^customer\.email: \$like: not a valid regular expression \(.*missing closing \)/,
    );
  });

  it("a pattern RE2 cannot run in linear time (backreference)", () => {
    expect(errorsOf({ name: { $like: "(a)\\1" } })[0]?.message).toMatch(
      /^name: \$like: not a valid regular expression/,
    );
  });

  it("a top-level field the hook does not provide", () => {
    expect(errorsOf({ secret: "x", name: "Joe" })).toEqual([
      {
        field: "secret",
        path: ["secret"],
        message: 'secret: the hook does not provide "secret" (it provides name, address, customer, age)',
      },
    ]);
    expect(errorsOf({ "secret.key": 1 })[0]?.message).toMatch(
      /^secret\.key: the hook does not provide "secret"/,
    );
    expect(errorsOf({ name: 1 }, [])[0]?.message).toMatch(/it provides no fields/);
  });

  it("does not apply the provides rule inside nested objects", () => {
    expect(validateFilter({ customer: { anything: 1 } }, PROVIDES).ok).toBe(true);
  });

  it("operands of the wrong type", () => {
    const cases: [unknown, string][] = [
      [{ name: { $startswith: 1 } }, "name: $startswith expects a string"],
      [{ name: { $endswith: null } }, "name: $endswith expects a string"],
      [{ name: { $contains: ["a"] } }, "name: $contains expects a string"],
      [{ name: { $like: 5 } }, "name: $like expects a regular expression string"],
      [{ age: { $gt: "5" } }, "age: $gt expects a number"],
      [{ age: { $lte: null } }, "age: $lte expects a number"],
      [{ name: { $in: "Joe" } }, "name: $in expects a non-empty list of values"],
      [{ name: { $in: [] } }, "name: $in expects a non-empty list of values"],
      [{ name: { $exists: "yes" } }, "name: $exists expects true or false"],
      [{ name: { $any: false } }, "name: $any expects true"],
    ];
    for (const [filter, message] of cases) {
      const errors = errorsOf(filter);
      expect(errors, JSON.stringify(filter)).toHaveLength(1);
      expect(errors[0]?.message.startsWith(message), errors[0]?.message).toBe(true);
    }
  });

  it("an object mixing operators and field names", () => {
    const [error] = errorsOf({ customer: { $exists: true, email: "x" } });
    expect(error).toMatchObject({ field: "customer", path: ["customer"] });
    expect(error?.message).toMatch(/^customer: mixes operators \(\$exists\) with field names \(email\)/);
  });

  it("operators used as field names", () => {
    expect(errorsOf({ $is: 1 })[0]?.message).toMatch(/^filter: "\$is" is not a field name/);
  });

  it("empty field names and empty parts of dotted names", () => {
    expect(errorsOf({ "": 1 })[0]?.message).toMatch(/field name "" has an empty part/);
    expect(errorsOf({ "customer..email": 1 })[0]?.message).toMatch(
      /field name "customer\.\.email" has an empty part/,
    );
  });

  it("problems inside $not, with the path through it", () => {
    expect(errorsOf({ name: { $not: { $like: "[" } } })[0]).toMatchObject({
      field: "name",
      path: ["name", "$not", "$like"],
    });
    expect(errorsOf({ customer: { $not: { email: { $nope: 1 } } } })[0]).toMatchObject({
      field: "customer.email",
      path: ["customer", "$not", "email", "$nope"],
    });
  });

  it("filters nested too deep", () => {
    let filter: Record<string, unknown> = { leaf: 1 };
    for (let depth = 0; depth < MAX_FILTER_DEPTH + 2; depth++) filter = { customer: filter };
    expect(errorsOf(filter)[0]?.message).toMatch(/nested deeper than/);
  });

  it("something that is not an object", () => {
    for (const filter of [null, [], "name", 3]) {
      expect(errorsOf(filter)[0]).toMatchObject({
        field: "",
        message: expect.stringMatching(/^filter: .*object/),
      });
    }
  });

  it("text PostgreSQL cannot store (NUL, unpaired surrogates)", () => {
    expect(errorsOf({ name: { $startswith: "a\u0000" } })[0]).toMatchObject({
      field: "name",
      path: ["name", "$startswith"],
      message: expect.stringMatching(/^name: contains a NUL character/),
    });
    expect(errorsOf({ name: { $in: ["ok", "\ud83d"] } })[0]).toMatchObject({
      field: "name",
      path: ["name", "$in", 1],
    });
    expect(validateFilter({ name: "😀" }, PROVIDES).ok).toBe(true);
  });

  it("reports every problem at once", () => {
    const errors = errorsOf({ secret: 1, name: { $like: "(" }, age: { $gt: "x" } });
    expect(errors.map((error) => error.field).sort()).toEqual(["age", "name", "secret"]);
  });
});

describe("filterSchema", () => {
  it("is a zod schema that composes into request schemas", () => {
    const listenerInput = z.object({ url: z.string(), filter: filterSchema.optional() });
    expect(listenerInput.safeParse({ url: "u", filter: { name: "Joe" } }).success).toBe(true);
    const refused = listenerInput.safeParse({ url: "u", filter: { name: { $bad: 1 } } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["filter", "name", "$bad"]);
    expect(refused.error?.issues[0]?.message).toMatch(/^name: unknown operator/);
  });

  it("renders to JSON Schema for the OpenAPI document", () => {
    const jsonSchema = z.toJSONSchema(filterSchema) as {
      $defs?: Record<string, { type?: string; description?: string }>;
    };
    expect(jsonSchema.$defs?.Filter).toMatchObject({
      type: "object",
      description: expect.stringContaining("$startswith"),
    });
  });
});
