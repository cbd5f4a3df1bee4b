import { describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { DatabaseUnavailableError, isDatabaseUnavailable, unavailabilitySummary } from "./unavailable";

function prismaError(code: string, meta?: Record<string, unknown>) {
  return new Prisma.PrismaClientKnownRequestError("Invalid `db.event.create()` invocation:\n\nfailed", {
    code,
    clientVersion: "7",
    meta,
  });
}

function withCode(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}

describe("isDatabaseUnavailable", () => {
  it.each([
    ["Prisma cannot reach the server (P1001)", prismaError("P1001")],
    ["Prisma: the server closed the connection (P1017)", prismaError("P1017")],
    [
      "a raw query's connection terminated by an administrator (P2010 carrying 57P01)",
      prismaError("P2010", { driverAdapterError: { cause: { kind: "postgres", code: "57P01" } } }),
    ],
    [
      "the adapter's ConnectionClosed",
      prismaError("P2010", { driverAdapterError: { cause: { kind: "ConnectionClosed" } } }),
    ],
    ["pg: connection refused", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["pg: the server is starting up (57P03)", withCode("the database system is starting up", "57P03")],
    ["pg: a connection exception (08006)", withCode("connection failure", "08006")],
    ["pg: a connection lost mid-query", new Error("Connection terminated unexpectedly")],
    ["a wrapped cause", new Error("outer", { cause: withCode("reset", "ECONNRESET") })],
    ["the server shutting down", new DatabaseUnavailableError("The server is shutting down")],
  ])("recognises %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", prismaError("P2002")],
    [
      "a raw unique violation",
      prismaError("P2010", { driverAdapterError: { cause: { kind: "postgres", code: "23505" } } }),
    ],
    ["a syntax error", withCode("syntax error", "42601")],
    ["a plain error", new Error("boom")],
    ["not an error", "ECONNREFUSED"],
  ])("leaves %s alone", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("summarises Prisma's long messages in their last line", () => {
    expect(unavailabilitySummary(prismaError("P1001"))).toBe("failed");
  });
});
