import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret, signatureHeader } from "@/core/signing";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { NotFoundError } from "./errors";
import {
  INSPECTOR_STORED_BODY_BYTES,
  listInspectorRequests,
  pruneInspectorRequests,
  recordInspectorRequest,
} from "./inspector";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function projectWithInspector() {
  const project = await database.db.project.create({ data: { name: "Inspector tests" } });
  const hook = await database.db.hook.create({
    data: { projectId: project.id, name: "user.signed_up", providesArgs: ["name"] },
  });
  return { projectId: project.id, token: project.inspectorToken, hookId: hook.id };
}

async function signedRequest(secret: string, body: string, now: Date, msgId = "msg_1") {
  const timestamp = Math.floor(now.getTime() / 1000);
  return new Headers({
    "content-type": "application/json",
    "webhook-id": msgId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signatureHeader([secret], { msgId, timestamp, body }),
  });
}

const encode = (text: string) => new TextEncoder().encode(text);

describe("recordInspectorRequest", () => {
  it("verifies the signature with the secret of a listener pointing at this inspector", async () => {
    const { projectId, token, hookId } = await projectWithInspector();
    const secret = generateSecret();
    await database.db.listener.create({
      data: { projectId, hookId, url: `http://localhost:3000/api/inspect/${token}`, secret },
    });
    const now = new Date();
    const body = JSON.stringify({ name: "Ada" });
    const recorded = await recordInspectorRequest(
      token,
      {
        method: "post",
        headers: await signedRequest(secret, body, now),
        body: encode(body),
        bodyTooLarge: false,
      },
      database.db,
      now,
    );
    expect(recorded).toMatchObject({
      projectId,
      method: "POST",
      body,
      bodySize: body.length,
      signatureVerified: true,
    });
    expect(recorded.headers["webhook-id"]).toBe("msg_1");
  });

  it("reports a body signed with another secret, or tampered with, as not verified", async () => {
    const { projectId, token, hookId } = await projectWithInspector();
    await database.db.listener.create({
      data: {
        projectId,
        hookId,
        url: `http://127.0.0.1:3100/api/inspect/${token}`,
        secret: generateSecret(),
      },
    });
    const now = new Date();
    const body = JSON.stringify({ name: "Ada" });
    const wrongSecret = await recordInspectorRequest(
      token,
      {
        method: "POST",
        headers: await signedRequest(generateSecret(), body, now),
        body: encode(body),
        bodyTooLarge: false,
      },
      database.db,
      now,
    );
    expect(wrongSecret.signatureVerified).toBe(false);
    const unsigned = await recordInspectorRequest(
      token,
      { method: "POST", headers: new Headers(), body: encode(body), bodyTooLarge: false },
      database.db,
      now,
    );
    expect(unsigned.signatureVerified).toBe(false);
  });

  it("leaves the signature unchecked when no listener points here", async () => {
    const { projectId, token, hookId } = await projectWithInspector();
    await database.db.listener.create({
      data: { projectId, hookId, url: "https://example.test/hooks", secret: generateSecret() },
    });
    const recorded = await recordInspectorRequest(
      token,
      { method: "POST", headers: new Headers(), body: encode("plain text"), bodyTooLarge: false },
      database.db,
    );
    expect(recorded.signatureVerified).toBeNull();
    expect(recorded.body).toBe("plain text");
  });

  it("stores only the first bytes of a large body but remembers its size", async () => {
    const { token } = await projectWithInspector();
    const body = "x".repeat(INSPECTOR_STORED_BODY_BYTES + 10);
    const recorded = await recordInspectorRequest(
      token,
      { method: "POST", headers: new Headers(), body: encode(body), bodyTooLarge: false },
      database.db,
    );
    expect(recorded.body.length).toBe(INSPECTOR_STORED_BODY_BYTES);
    expect(recorded.bodySize).toBe(INSPECTOR_STORED_BODY_BYTES + 10);
  });

  it("refuses an unknown token", async () => {
    await expect(
      recordInspectorRequest(
        "nope",
        { method: "POST", headers: new Headers(), body: encode(""), bodyTooLarge: false },
        database.db,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("listInspectorRequests and pruneInspectorRequests", () => {
  it("lists newest first, since a time, and keeps only the latest N", async () => {
    const { projectId, token } = await projectWithInspector();
    const start = Date.now();
    for (let index = 0; index < 5; index++) {
      await recordInspectorRequest(
        token,
        { method: "POST", headers: new Headers(), body: encode(`#${index}`), bodyTooLarge: false },
        database.db,
        new Date(start + index * 1000),
      );
    }
    const all = await listInspectorRequests(projectId, {}, database.db);
    expect(all.map((request) => request.body)).toEqual(["#4", "#3", "#2", "#1", "#0"]);
    const recent = await listInspectorRequests(projectId, { since: new Date(start + 3000) }, database.db);
    expect(recent.map((request) => request.body)).toEqual(["#4", "#3"]);

    expect(await pruneInspectorRequests(projectId, 2, database.db)).toBe(3);
    const kept = await listInspectorRequests(projectId, {}, database.db);
    expect(kept.map((request) => request.body)).toEqual(["#4", "#3"]);
  });
});
