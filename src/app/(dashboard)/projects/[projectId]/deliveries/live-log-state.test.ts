import { describe, expect, it } from "vitest";
import {
  appendOlder,
  comesBefore,
  initialLiveLog,
  mergeChanges,
  showWaiting,
  type LogRow,
} from "./live-log-state";

type Row = LogRow & { status: string };

function row(id: string, createdSeconds: number, status = "pending", updatedSeconds = createdSeconds): Row {
  return {
    id,
    createdAt: new Date(createdSeconds * 1000),
    updatedAt: new Date(updatedSeconds * 1000),
    status,
  };
}

const ids = (rows: Row[]) => rows.map((entry) => entry.id);

describe("the live delivery log", () => {
  const start = initialLiveLog(
    { items: [row("c", 30), row("b", 20), row("a", 10)], nextCursor: "older" },
    new Date(31_000),
  );

  it("starts its watermark at the render time or the newest change, whichever is later", () => {
    expect(start.watermark).toBe(31_000);
    expect(
      initialLiveLog({ items: [row("x", 10, "failed", 40)], nextCursor: null }, new Date(31_000)).watermark,
    ).toBe(40_000);
  });

  it("updates a row on screen in place, ignoring a change older than what it shows", () => {
    const updated = mergeChanges(start, [row("b", 20, "succeeded", 35)], true);
    expect(ids(updated.rows)).toEqual(["c", "b", "a"]);
    expect(updated.rows[1]!.status).toBe("succeeded");
    expect(updated.watermark).toBe(35_000);
    const stale = mergeChanges(updated, [row("b", 20, "delivering", 33)], true);
    expect(stale.rows[1]!.status).toBe("succeeded");
  });

  it("puts new rows on top when the reader is at the top, in log order", () => {
    const merged = mergeChanges(start, [row("e", 32), row("d", 32)], true);
    expect(ids(merged.rows)).toEqual(["d", "e", "c", "b", "a"]);
    expect(merged.waiting).toEqual([]);
  });

  it("keeps new rows waiting while the reader is scrolled down, and updates them there", () => {
    const waiting = mergeChanges(start, [row("d", 32)], false);
    expect(ids(waiting.rows)).toEqual(["c", "b", "a"]);
    expect(ids(waiting.waiting)).toEqual(["d"]);
    const updated = mergeChanges(waiting, [row("d", 32, "failed", 40)], false);
    expect(updated.waiting[0]!.status).toBe("failed");
    expect(ids(showWaiting(updated).rows)).toEqual(["d", "c", "b", "a"]);
    // Back at the top, the next poll shows them even with nothing new.
    expect(ids(mergeChanges(updated, [], true).rows)).toEqual(["d", "c", "b", "a"]);
  });

  it("ignores changes to rows of pages not loaded", () => {
    const merged = mergeChanges(start, [row("old", 5, "failed", 36)], true);
    expect(ids(merged.rows)).toEqual(["c", "b", "a"]);
    expect(merged.watermark).toBe(36_000);
  });

  it("keeps updating a shown row that left the filter, and adds only new rows that belong", () => {
    const onlyPending = (entry: Row) => entry.status === "pending";
    const merged = mergeChanges(
      start,
      [row("c", 30, "succeeded", 36), row("e", 33, "succeeded"), row("d", 32)],
      true,
      onlyPending,
    );
    expect(ids(merged.rows)).toEqual(["d", "c", "b", "a"]);
    expect(merged.rows[1]!.status).toBe("succeeded");
  });

  it("takes any change as new when the log was empty", () => {
    const empty = initialLiveLog<Row>({ items: [], nextCursor: null }, new Date(0));
    expect(ids(mergeChanges(empty, [row("a", 1)], true).rows)).toEqual(["a"]);
  });

  it("appends older pages without repeating rows", () => {
    const appended = appendOlder(start, { items: [row("a", 10), row("z", 1)], nextCursor: null });
    expect(ids(appended.rows)).toEqual(["c", "b", "a", "z"]);
    expect(appended.nextCursor).toBeNull();
  });

  it("orders rows of the same time by id, like the keyset pages", () => {
    expect(comesBefore(row("a", 1), row("b", 1))).toBe(true);
    expect(comesBefore(row("b", 2), row("a", 1))).toBe(true);
  });
});
