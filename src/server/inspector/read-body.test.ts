import { describe, expect, it } from "vitest";
import { readBodyAtMost } from "./read-body";

function streamed(chunks: string[]): Request {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readBodyAtMost", () => {
  it("reads a body up to the limit whole", async () => {
    const { body, tooLarge } = await readBodyAtMost(streamed(["abc", "def"]), 6);
    expect(new TextDecoder().decode(body)).toBe("abcdef");
    expect(tooLarge).toBe(false);
  });

  it("cuts a longer body at the limit and says so", async () => {
    const { body, tooLarge } = await readBodyAtMost(streamed(["abc", "defg", "hij"]), 6);
    expect(new TextDecoder().decode(body)).toBe("abcdef");
    expect(tooLarge).toBe(true);
  });

  it("reads no body as empty", async () => {
    const { body, tooLarge } = await readBodyAtMost(new Request("http://localhost/x", { method: "POST" }), 6);
    expect(body.byteLength).toBe(0);
    expect(tooLarge).toBe(false);
  });
});
