import { randomBytes } from "node:crypto";

/**
 * Ids for rows written with raw SQL, shaped like the cuid() ids Prisma gives the others: "c", the
 * time in base 36, a per-process counter, a process fingerprint and random characters (25 in all).
 * They grow with time, as the list queries that order by id expect.
 */
const BASE = 36;
const COUNTER_SPAN = BASE ** 4;
const FINGERPRINT = (process.pid.toString(BASE) + randomBytes(2).toString("hex")).slice(-4).padStart(4, "0");
let counter = Math.floor(Math.random() * COUNTER_SPAN);

export function newId(): string {
  counter = (counter + 1) % COUNTER_SPAN;
  const time = Date.now().toString(BASE).padStart(8, "0");
  const sequence = counter.toString(BASE).padStart(4, "0");
  const random = BigInt(`0x${randomBytes(6).toString("hex")}`)
    .toString(BASE)
    .padStart(8, "0")
    .slice(-8);
  return `c${time}${sequence}${FINGERPRINT}${random}`;
}
