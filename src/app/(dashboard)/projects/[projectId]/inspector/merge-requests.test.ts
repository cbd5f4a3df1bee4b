import { describe, expect, it } from "vitest";
import { mergeNewest } from "./merge-requests";

const at = (id: string, seconds: number) => ({ id, receivedAt: new Date(seconds * 1000) });

describe("mergeNewest", () => {
  it("merges by id, newest first, keeping at most the given number", () => {
    const shown = [at("b", 2), at("a", 1)];
    expect(mergeNewest(shown, [at("b", 2), at("c", 3)], 10).map((request) => request.id)).toEqual([
      "c",
      "b",
      "a",
    ]);
    expect(mergeNewest(shown, [at("c", 3)], 2).map((request) => request.id)).toEqual(["c", "b"]);
  });

  it("orders requests received in the same millisecond by id, like the server", () => {
    expect(mergeNewest([at("a", 1)], [at("b", 1)], 10).map((request) => request.id)).toEqual(["b", "a"]);
  });
});
