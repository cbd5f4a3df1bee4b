import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
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
    const [sdk, curl] = sendEventSnippets("http://127.0.0.1:3100", "signup", ["email"]);
    expect(sdk?.code).toContain('await signupHook.send(null, {\n  "email": "example email"\n});');
    expect(curl?.code).toContain("'http://127.0.0.1:3100/api/v1/hooks/signup/events'");
    expect(curl?.code).toContain(`-d '{"payload":{"email":"example email"}}'`);
  });
});
