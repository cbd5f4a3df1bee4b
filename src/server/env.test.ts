import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DURIAN_ALLOWED_HOSTS).toEqual([]);
    expect(env.DURIAN_RATE_LIMIT_PER_SECOND).toBe(100);
    expect(env.DURIAN_RATE_LIMIT_BURST).toBe(200);
  });

  it("splits the allowed hosts list", () => {
    const env = parseEnv({ DURIAN_ALLOWED_HOSTS: "127.0.0.1, example.test ,10.0.0.0/8" });
    expect(env.DURIAN_ALLOWED_HOSTS).toEqual(["127.0.0.1", "example.test", "10.0.0.0/8"]);
  });

  it("names the variable and the expectation when a value is bad", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://localhost/db", PORT: "eighty" })).toThrowError(EnvError);
    try {
      parseEnv({ DATABASE_URL: "mysql://localhost/db", PORT: "eighty" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("DATABASE_URL: expected a postgres:// or postgresql:// URL");
      expect(message).toMatch(/PORT: /);
    }
  });

  it("serves metrics only with a token long enough, and says when listeners are failing", () => {
    expect(parseEnv({}).DURIAN_METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({}).DURIAN_FAILING_AFTER_FAILURES).toBe(5);
    expect(parseEnv({ DURIAN_METRICS_TOKEN: "0123456789abcdef" }).DURIAN_METRICS_TOKEN).toBe(
      "0123456789abcdef",
    );
    expect(() => parseEnv({ DURIAN_METRICS_TOKEN: "short" })).toThrow(
      /DURIAN_METRICS_TOKEN: expected at least 16 characters/,
    );
    expect(() => parseEnv({ DURIAN_FAILING_AFTER_FAILURES: "0" })).toThrow(/DURIAN_FAILING_AFTER_FAILURES: /);
  });

  it("names a malformed allowed-hosts entry", () => {
    expect(() => parseEnv({ DURIAN_ALLOWED_HOSTS: "127.0.0.1,10.0.0.0/99" })).toThrow(
      /DURIAN_ALLOWED_HOSTS: .*"10.0.0.0\/99" is not a valid CIDR range/,
    );
  });

  it("refuses an unknown runner", () => {
    expect(() => parseEnv({ DURIAN_RUNNER: "sidekiq" })).toThrow(/DURIAN_RUNNER/);
  });

  it("keeps data for 30 days unless told otherwise, in whole days", () => {
    expect(parseEnv({}).DURIAN_RETENTION_DAYS).toBe(30);
    expect(parseEnv({ DURIAN_RETENTION_DAYS: "7" }).DURIAN_RETENTION_DAYS).toBe(7);
    for (const bad of ["0", "-1", "1.5", "a week", "36501"]) {
      expect(() => parseEnv({ DURIAN_RETENTION_DAYS: bad })).toThrow(/DURIAN_RETENTION_DAYS: /);
    }
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("reads the secret key and its previous values, naming a short one", () => {
    const key = "k".repeat(32);
    const env = parseEnv({
      DURIAN_SECRET_KEY: key,
      DURIAN_SECRET_KEY_PREVIOUS: ` ${"a".repeat(40)}, ${"b".repeat(32)}`,
    });
    expect(env.DURIAN_SECRET_KEY).toBe(key);
    expect(env.DURIAN_SECRET_KEY_PREVIOUS).toEqual(["a".repeat(40), "b".repeat(32)]);
    expect(parseEnv({}).DURIAN_SECRET_KEY_PREVIOUS).toEqual([]);
    expect(() => parseEnv({ DURIAN_SECRET_KEY: "too short" })).toThrow(
      /DURIAN_SECRET_KEY: expected at least 32 characters/,
    );
    expect(() => parseEnv({ DURIAN_SECRET_KEY_PREVIOUS: `${key},short` })).toThrow(
      /DURIAN_SECRET_KEY_PREVIOUS\.1: expected at least 32 characters/,
    );
  });
});
