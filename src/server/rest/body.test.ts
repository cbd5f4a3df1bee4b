import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "@/contracts/common";
import { readJsonBody } from "./body";
import { HttpProblem } from "./problem";

function request(
  body: BodyInit | undefined,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return new Request("http://localhost/api/v1/x", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
}

async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof HttpProblem) return error.status;
    throw error;
  }
}

describe("readJsonBody", () => {
  it("parses JSON sent as application/json or a +json type, with parameters", async () => {
    expect(await readJsonBody(request('{"a":[1,"é"]}'))).toEqual({ a: [1, "é"] });
    expect(
      await readJsonBody(request("[]", { "content-type": "application/merge-patch+json; charset=utf-8" })),
    ).toEqual([]);
  });

  it("answers 415 for any other content type, or none", async () => {
    expect(await statusOf(readJsonBody(request("{}", { "content-type": "text/plain" })))).toBe(415);
    expect(await statusOf(readJsonBody(request("{}", { "content-type": "application/jsonx" })))).toBe(415);
    expect(
      await statusOf(readJsonBody(request("{}", { "content-type": "multipart/form-data; boundary=x" }))),
    ).toBe(415);
    expect(await statusOf(readJsonBody(request("{}", {})))).toBe(415);
  });

  it("answers 413 past the limit and accepts exactly the limit", async () => {
    const atLimit = `"${"x".repeat(MAX_BODY_BYTES - 2)}"`;
    expect(await readJsonBody(request(atLimit))).toHaveLength(MAX_BODY_BYTES - 2);
    expect(await statusOf(readJsonBody(request(`${atLimit} `)))).toBe(413);
    expect(
      await statusOf(
        readJsonBody(
          request("{}", { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) }),
        ),
      ),
    ).toBe(413);
  });

  it("answers 400 for an empty body, bytes that are not UTF-8, or malformed JSON", async () => {
    expect(await statusOf(readJsonBody(request(undefined)))).toBe(400);
    expect(await statusOf(readJsonBody(request(new Uint8Array([0x7b, 0xff, 0x7d]))))).toBe(400);
    for (const text of ["{", "{'a': 1}", "undefined", '{"a": 1,}']) {
      expect(await statusOf(readJsonBody(request(text))), text).toBe(400);
    }
  });
});

describe("readJsonBody when the client goes away", () => {
  it("answers 400 instead of failing with the stream's error", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
        controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    expect(await statusOf(readJsonBody(request(stream)))).toBe(400);
  });
});
