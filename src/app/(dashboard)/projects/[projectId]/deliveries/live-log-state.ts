// The live delivery log's state, kept apart from React so its merge rules can be tested: rows in
// (createdAt desc, id asc) order, the same order as the keyset pages, and changes merged by id.

export interface LogRow {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface LiveLogState<Row extends LogRow> {
  /** Rows on screen, newest first. */
  rows: Row[];
  /** New rows that arrived while the reader was scrolled down: shown on request, so nothing moves. */
  waiting: Row[];
  /** Cursor of the next (older) page; null when the oldest row is on screen. */
  nextCursor: string | null;
  /** Newest `updatedAt` seen (ms): the next poll asks for changes after it. */
  watermark: number;
}

export function initialLiveLog<Row extends LogRow>(
  page: { items: Row[]; nextCursor: string | null },
  renderedAt: Date,
): LiveLogState<Row> {
  return {
    rows: page.items,
    waiting: [],
    nextCursor: page.nextCursor,
    watermark: Math.max(renderedAt.getTime(), ...page.items.map((row) => row.updatedAt.getTime())),
  };
}

/** True when `a` comes before `b` in the log: newer, or as new with a smaller id. */
export function comesBefore(a: LogRow, b: LogRow): boolean {
  const difference = a.createdAt.getTime() - b.createdAt.getTime();
  return difference > 0 || (difference === 0 && a.id < b.id);
}

function inLogOrder<Row extends LogRow>(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (comesBefore(a, b) ? -1 : comesBefore(b, a) ? 1 : 0));
}

/**
 * Merges polled changes: a row on screen (or waiting) is updated in place, even when it no longer
 * matches the filters (it stays where the reader saw it, with its new status); a row newer than the
 * top of the log that `belongs` is new, shown at once when `showNew` (the reader is at the top) or else
 * kept waiting; a row older than the top that is not on screen belongs to a page not loaded.
 */
export function mergeChanges<Row extends LogRow>(
  state: LiveLogState<Row>,
  changes: Row[],
  showNew: boolean,
  /** Whether a row not yet in the log belongs in it (rows already shown are always kept up to date). */
  belongs: (row: Row) => boolean = () => true,
): LiveLogState<Row> {
  if (changes.length === 0 && !(showNew && state.waiting.length > 0)) return state;
  const rows = [...state.rows];
  const waiting = [...state.waiting];
  const rowIndex = new Map(rows.map((row, index) => [row.id, index]));
  const waitingIndex = new Map(waiting.map((row, index) => [row.id, index]));
  let watermark = state.watermark;
  const top = rows[0];
  const logIsEmpty = rows.length === 0 && state.nextCursor === null;

  for (const change of changes) {
    watermark = Math.max(watermark, change.updatedAt.getTime());
    const onScreen = rowIndex.get(change.id);
    if (onScreen !== undefined) {
      if (change.updatedAt.getTime() >= rows[onScreen]!.updatedAt.getTime()) rows[onScreen] = change;
      continue;
    }
    const queued = waitingIndex.get(change.id);
    if (queued !== undefined) {
      if (change.updatedAt.getTime() >= waiting[queued]!.updatedAt.getTime()) waiting[queued] = change;
      continue;
    }
    if (belongs(change) && (logIsEmpty || (top !== undefined && comesBefore(change, top)))) {
      waitingIndex.set(change.id, waiting.length);
      waiting.push(change);
    }
  }

  if (showNew && waiting.length > 0) {
    return { ...state, rows: inLogOrder([...waiting, ...rows]), waiting: [], watermark };
  }
  return { ...state, rows, waiting: inLogOrder(waiting), watermark };
}

/** Shows the waiting rows (the reader asked to). */
export function showWaiting<Row extends LogRow>(state: LiveLogState<Row>): LiveLogState<Row> {
  if (state.waiting.length === 0) return state;
  return { ...state, rows: inLogOrder([...state.waiting, ...state.rows]), waiting: [] };
}

/** Appends an older page; rows already shown (moved by a change) are not repeated. */
export function appendOlder<Row extends LogRow>(
  state: LiveLogState<Row>,
  page: { items: Row[]; nextCursor: string | null },
): LiveLogState<Row> {
  const shown = new Set(state.rows.map((row) => row.id));
  return {
    ...state,
    rows: [...state.rows, ...page.items.filter((row) => !shown.has(row.id))],
    nextCursor: page.nextCursor,
  };
}
