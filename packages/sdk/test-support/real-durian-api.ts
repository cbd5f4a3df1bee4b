// The SDK's contract tests run against the REAL /api/v1 route handlers and a real test database,
// through the REST tests' harness (its `dispatch` routes a Request the way Next would), so the SDK and
// the API cannot drift.
import { afterAll, beforeAll } from "vitest";
import { dispatch, startApiHarness, TEST_ORIGIN, type ApiHarness } from "@/testing/api-harness";
import { Durian } from "../src/index";

/** Starts the API harness before the file's tests and closes it after; a client signed in with its key. */
export function useRealDurianApi(): { readonly harness: ApiHarness; readonly durian: Durian } {
  let harness: ApiHarness | undefined;
  let durian: Durian | undefined;
  beforeAll(async () => {
    harness = await startApiHarness();
    durian = new Durian({
      url: TEST_ORIGIN,
      apiKey: harness.apiKey,
      fetch: (input, init) => dispatch(new Request(input, { ...init, duplex: "half" } as RequestInit)),
    });
  });
  afterAll(() => harness?.close());
  return {
    get harness() {
      if (!harness) throw new Error("the API harness exists only while the file's tests run");
      return harness;
    },
    get durian() {
      if (!durian) throw new Error("the client exists only while the file's tests run");
      return durian;
    },
  };
}
