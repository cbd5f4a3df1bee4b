/**
 * JSON numbers are read as IEEE 754 doubles, so some numbers a sender writes cannot arrive as written:
 * `1e400` becomes Infinity (stored and delivered as null), `12345678901234567890` becomes
 * 12345678901234567000, `0.1234567890123456789` loses its last digits. The rule: a number is accepted
 * when the double it becomes has the same value as the text sent, i.e. the shortest decimal that reads
 * back as that double (what Durian stores and delivers) is the number written. `1.50`, `1e2` and
 * `9007199254740992` pass; anything else is refused and should be sent as a string.
 */

const NUMBER_TOKEN = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

interface Decimal {
  negative: boolean;
  /** Significant digits without leading or trailing zeros; "" for zero. */
  digits: string;
  exponent: number;
}

function toDecimal(text: string): Decimal | null {
  const match = NUMBER_TOKEN.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let digits = (whole! + fraction).replace(/^0+/, "");
  let power = Number(exponent) - fraction.length;
  const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailingZeros);
  power += trailingZeros;
  return { negative: sign === "-", digits, exponent: digits === "" ? 0 : power };
}

function sameDecimal(a: Decimal, b: Decimal): boolean {
  // The sign of zero is not kept (JSON.stringify(-0) is "0"): that loses nothing a sender meant.
  if (a.digits === "" || b.digits === "") return a.digits === b.digits;
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}

/** What a JSON number token would arrive as, when that is not the number written; null when exact. */
export function inexactNumberResult(token: string): string | null {
  const value = Number(token);
  if (!Number.isFinite(value)) return String(value);
  const written = toDecimal(token);
  const arrives = toDecimal(String(value));
  if (!written || !arrives) return String(value);
  return sameDecimal(written, arrives) ? null : String(value);
}

/** The problem to report for an inexact number token (shortened when long). */
export function inexactNumberProblem(token: string, result: string): string {
  const shown = token.length > 40 ? `${token.slice(0, 37)}…` : token;
  const becomes =
    result === "Infinity" || result === "-Infinity"
      ? "is too large for a JSON number (it would become null)"
      : `cannot be carried exactly by a JSON number (it would become ${result})`;
  return `${shown} ${becomes}; send it as a string`;
}
