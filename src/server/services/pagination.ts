import { z } from "zod";
import { ValidationError } from "./errors";

/**
 * Keyset pagination: a page ends with the cursor of its last row, and the next page starts strictly
 * after it, so pages stay stable while rows are added and every page is one index range scan.
 */
export interface Page<Item> {
  items: Item[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Position after a row in lists ordered by (createdAt desc, id asc), the order of the schema's indexes. */
export const timeCursorSchema = z.object({ t: z.iso.datetime(), id: z.string() });
export type TimeCursor = { createdAt: Date; id: string };

export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) {
    throw new ValidationError([
      { path: "cursor", message: "is not a cursor from this list; pass a page's nextCursor" },
    ]);
  }
  return parsed.data;
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  const { t, id } = decodeCursor(cursor, timeCursorSchema);
  return { createdAt: new Date(t), id };
}

export function encodeTimeCursor(row: { createdAt: Date; id: string }): string {
  return encodeCursor({ t: row.createdAt.toISOString(), id: row.id });
}

/** Prisma condition for "after this row" in (createdAt desc, id asc) order. */
export function afterTimeCursor(cursor: TimeCursor) {
  return {
    createdAt: { lte: cursor.createdAt },
    OR: [{ createdAt: { lt: cursor.createdAt } }, { id: { gt: cursor.id } }],
  };
}

/** The page from `limit + 1` fetched rows: the extra row only says whether there is a next page. */
export function pageFrom<Row, Item>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(toItem), nextCursor: hasMore && last ? cursorOf(last) : null };
}
