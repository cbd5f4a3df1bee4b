import { expect, test } from "@playwright/test";

// /api/v1 is served by the server entry without Next's router (src/server/rest/serve.ts): it still
// compresses what GET reads, as Next did, and leaves the writes' short answers alone.

test("GET answers are compressed for a client that accepts it; writes' answers are not", async ({
  request,
}) => {
  const document = await request.get("/api/v1/openapi.json", { headers: { "accept-encoding": "gzip" } });
  expect(document.status()).toBe(200);
  expect(document.statusText()).toBe("OK");
  expect(document.headers()["content-encoding"]).toBe("gzip");
  expect((await document.json()) as unknown).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });

  const plain = await request.get("/api/v1/openapi.json", { headers: { "accept-encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();

  const write = await request.post("/api/v1/hooks/no-such-hook/events", {
    headers: { "accept-encoding": "gzip", "content-type": "application/json" },
    data: { payload: {} },
  });
  expect(write.status()).toBe(401);
  expect(write.statusText()).toBe("Unauthorized");
  expect(write.headers()["content-type"]).toBe("application/problem+json");
  expect(write.headers()["content-encoding"]).toBeUndefined();
});
