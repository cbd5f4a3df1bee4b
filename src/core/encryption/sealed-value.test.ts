import { describe, expect, it } from "vitest";
import {
  isSealed,
  seal,
  sealedKeyId,
  sealingKey,
  unseal,
  SealedValueError,
  type SealedValueProblem,
} from "./index";

const current = sealingKey("current key text, at least thirty-two characters");
const previous = sealingKey("previous key text, at least thirty-two characters");

function problemOf(run: () => unknown): SealedValueProblem | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SealedValueError) return error.problem;
    throw error;
  }
  return undefined;
}

describe("sealed values", () => {
  it("round-trips, naming the sealing key and never showing the plaintext", () => {
    const sealed = seal("whsec_plain", current);
    expect(sealed).toMatch(new RegExp(`^enc:v1:${current.id}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain("whsec_");
    expect(isSealed(sealed)).toBe(true);
    expect(sealedKeyId(sealed)).toBe(current.id);
    expect(unseal(sealed, [previous, current])).toBe("whsec_plain");
  });

  it("uses a fresh iv each time", () => {
    expect(seal("same", current)).not.toBe(seal("same", current));
  });

  it("derives the same key id from the same key text, a different one from other text", () => {
    expect(sealingKey("current key text, at least thirty-two characters").id).toBe(current.id);
    expect(previous.id).not.toBe(current.id);
  });

  it("refuses short key text", () => {
    expect(() => sealingKey("short")).toThrow(/at least 32 characters/);
  });

  it("names a key it was not given", () => {
    const error = (() => {
      try {
        unseal(seal("x", previous), [current]);
      } catch (caught) {
        return caught as SealedValueError;
      }
    })();
    expect(error?.problem).toBe("unknown-key");
    expect(error?.keyId).toBe(previous.id);
  });

  it("detects an altered ciphertext or a relabelled key id", () => {
    const sealed = seal("whsec_plain", current);
    const last = sealed.at(-2) === "A" ? "B" : "A";
    expect(problemOf(() => unseal(sealed.slice(0, -2) + last + sealed.at(-1), [current]))).toBe(
      "authentication-failed",
    );
    const impostor = { id: previous.id, bytes: current.bytes };
    const relabelled = sealed.replace(current.id, previous.id);
    expect(problemOf(() => unseal(relabelled, [impostor]))).toBe("authentication-failed");
  });

  it("refuses malformed values and unknown versions", () => {
    expect(problemOf(() => unseal("enc:v1:abc", [current]))).toBe("malformed");
    expect(problemOf(() => unseal(`enc:v9:${current.id}:a:b`, [current]))).toBe("malformed");
    expect(problemOf(() => unseal(`enc:v1:${current.id}:AAAA:AAAA`, [current]))).toBe("malformed");
  });
});
