import { randomFillSync } from "node:crypto";

let counter = 0;
/** Random bytes drawn in bulk: a call into the system's generator per id cost more than the rest of it. */
const pool = new BigUint64Array(512);
let poolIndex = pool.length;

function random64(): bigint {
  if (poolIndex === pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++]!;
}

/**
 * An id for a row written with raw SQL, shaped like the cuids Prisma gives the other rows ("c", the
 * time, a counter, randomness; 25 lower-case characters), so ids look and sort alike everywhere.
 */
export function newRecordId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0");
  const count = counter.toString(36).padStart(4, "0");
  const random = random64().toString(36).padStart(12, "0").slice(-12);
  return `c${time}${count}${random}`;
}
