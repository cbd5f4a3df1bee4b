import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { normalizeHookField } from "@/core/hook-fields";
import { registerHookSnippets, sendEventSnippets, shellQuote } from "./snippets";

describe("shellQuote", () => {
  it("survives a real shell, single quotes and $ included", () => {
    for (const text of [`{"name":"O'Brien"}`, "$HOME `id` \\n", ""]) {
      expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(text)}`], { encoding: "utf8" })).toBe(text);
    }
  });
});

describe("snippets", () => {
  it("register a hook against the project's real API URL, with the SDK and with curl", () => {
    const [sdk, curl] = registerHookSnippets("https://durian.example.com", "person.created", [
      "name",
      "address",
    ]);
    expect(sdk?.code).toContain('new Durian({ url: "https://durian.example.com"');
    expect(sdk?.code).toContain('new Hook({ name: "person.created", providesArgs: ["name","address"] })');
    expect(sdk?.code).toContain("durian.hooks.register(personCreatedHook);");
    expect(curl?.code).toContain("curl -X PUT 'https://durian.example.com/api/v1/hooks/person.created'");
    expect(curl?.code).toContain(`-d '{"providesArgs":["name","address"]}'`);
  });

  it("send an event with every provided field", () => {
    const [sdk, curl] = sendEventSnippets("http://127.0.0.1:3100", "signup", [normalizeHookField("email")]);
    expect(sdk?.code).toContain('await signupHook.send(null, {\n  "email": "example email"\n});');
    expect(curl?.code).toContain("'http://127.0.0.1:3100/api/v1/hooks/signup/events'");
    expect(curl?.code).toContain(`-d '{"payload":{"email":"example email"}}'`);
  });

  it("give each typed field an example of its type, and declare the types", () => {
    const fields = [
      { name: "age", schema: { type: "integer" as const } },
      { name: "vip", schema: { type: "boolean" as const } },
      { name: "at", schema: { type: "string" as const, format: "date-time" as const } },
      { name: "plan", schema: { enum: ["pro", "free"] } },
    ].map(normalizeHookField);
    const [sdk, curl] = sendEventSnippets("http://127.0.0.1:3100", "signup", fields);
    expect(curl?.code).toContain(
      `{"payload":{"age":42,"vip":true,"at":"2026-01-15T09:30:00Z","plan":"pro"}}`,
    );
    expect(sdk?.code).toContain('{"name":"age","schema":{"type":"integer"},"required":false}');
  });
});
