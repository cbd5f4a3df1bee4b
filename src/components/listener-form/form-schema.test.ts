import { describe, expect, it } from "vitest";
import { configFormSchema } from "@/core/hook-fields";
import { emptyRows } from "./filter-rows";
import {
  formFieldOfApiPath,
  listenerFormSchema,
  toListenerInput,
  type ListenerFormValues,
} from "./form-schema";

const FIELDS = ["name", "email"];

function values(overrides: Partial<ListenerFormValues> = {}): ListenerFormValues {
  return {
    filterMode: "fields",
    rows: emptyRows(FIELDS),
    filterJson: "",
    name: "",
    url: "https://example.com/hooks",
    description: "",
    headers: [],
    envelope: false,
    selfHealing: false,
    config: [],
    ...overrides,
  };
}

function issues(input: ListenerFormValues) {
  const result = listenerFormSchema(FIELDS).safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("listenerFormSchema", () => {
  it("accepts a plain listener and saves the API's body", () => {
    const input = values({
      rows: [
        { field: "name", operator: "$startswith", value: "J" },
        { field: "email", operator: "$any", value: "" },
      ],
    });
    expect(issues(input)).toEqual([]);
    expect(toListenerInput(input)).toEqual({
      name: "",
      url: "https://example.com/hooks",
      filter: { name: { $startswith: "J" } },
      description: "",
      headers: {},
      envelope: false,
      selfHealing: false,
      config: {},
    });
  });

  it("saves the name trimmed and refuses one longer than the API allows", () => {
    expect(toListenerInput(values({ name: "  CRM sync " }))?.name).toBe("CRM sync");
    expect(issues(values({ name: "x".repeat(101) }))).toEqual([
      { path: "name", message: "at most 100 characters" },
    ]);
  });

  it("puts a bad regular expression next to its row", () => {
    const input = values({
      rows: [
        { field: "name", operator: "$any", value: "" },
        { field: "email", operator: "$like", value: "([" },
      ],
    });
    const [issue] = issues(input);
    expect(issue?.path).toBe("rows.1.value");
    expect(issue?.message).toMatch(/^email: \$like/);
  });

  it("refuses a missing URL, a bad URL and credentials in the URL, but leaves blocked addresses to the server", () => {
    expect(issues(values({ url: "" }))[0]).toEqual({ path: "url", message: "a listener needs a URL" });
    expect(issues(values({ url: "not a url" }))[0]?.path).toBe("url");
    expect(issues(values({ url: "ftp://example.com" }))[0]?.message).toMatch(/only http and https/);
    expect(issues(values({ url: "https://user:pw@example.com" }))[0]?.message).toMatch(/credentials/);
    expect(issues(values({ url: "http://127.0.0.1:9/x" }))).toEqual([]);
  });

  it("checks JSON filters with the same validator, including fields the hook does not provide", () => {
    expect(issues(values({ filterMode: "json", filterJson: "{" }))[0]?.path).toBe("filterJson");
    const [issue] = issues(values({ filterMode: "json", filterJson: '{"secret": 1}' }));
    expect(issue).toEqual({
      path: "filterJson",
      message: expect.stringMatching(/does not provide "secret"/),
    });
  });

  it("refuses headers Durian sets itself, next to the header's name", () => {
    const [issue] = issues(
      values({
        headers: [
          { name: "Authorization", value: "Bearer x" },
          { name: "webhook-id", value: "1" },
        ],
      }),
    );
    expect(issue?.path).toBe("headers.1.name");
    expect(issue?.message).toMatch(/set by Durian/);
  });
});

describe("formFieldOfApiPath", () => {
  it("maps the API's field errors to the form's fields", () => {
    const form = values({ headers: [{ name: "X-Token", value: "" }] });
    expect(formFieldOfApiPath(form, "url")).toBe("url");
    expect(formFieldOfApiPath(form, "filter.email.$like")).toBe("rows.1.value");
    expect(formFieldOfApiPath(form, "headers.X-Token")).toBe("headers.0.name");
    expect(formFieldOfApiPath(form, "hook")).toBeNull();
  });
});

describe("listenerFormSchema with several problems at once", () => {
  it("reports the filter's problem even while the URL is still empty", () => {
    const paths = issues(
      values({
        url: "",
        rows: [
          { field: "name", operator: "$like", value: "(" },
          { field: "email", operator: "$any", value: "" },
        ],
      }),
    ).map((issue) => issue.path);
    expect(paths).toEqual(["url", "rows.0.value"]);
  });

  it("checks the config options against the hook's form, next to each input", () => {
    const configForm = configFormSchema.parse([
      { name: "format", schema: { enum: ["json", "xml"] }, default: "json" },
      { name: "batch", schema: { type: "integer", minimum: 1 } },
      { name: "team", schema: { type: "string" }, required: true },
    ]);
    const input = values({ config: [{ value: "" }, { value: "0" }, { value: "" }] });
    const result = listenerFormSchema(FIELDS, configForm).safeParse(input);
    expect(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "config.1.value: must be at least 1",
      "config.2.value: is required",
    ]);
    const fixed = values({ config: [{ value: "xml" }, { value: "" }, { value: "ops" }] });
    expect(toListenerInput(fixed, { configForm })?.config).toEqual({ format: "xml", team: "ops" });
    expect(formFieldOfApiPath(fixed, "config.team", configForm)).toBe("config.2.value");
  });
});
