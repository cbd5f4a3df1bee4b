import { MAX_JSON_DEPTH, TOO_DEEP_PROBLEM } from "./json-depth";
import { inexactNumberProblem, inexactNumberResult } from "./exact-number";

export type JsonPath = (string | number)[];
export interface JsonTextProblem {
  path: JsonPath;
  problem: string;
}

/** At most this many inexact numbers are named in one answer. */
const MAX_REPORTED_NUMBERS = 20;
const NUMBER_AT = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** An object's current key is kept as the text of its string token, decoded only for a problem's path. */
type Frame =
  { kind: "object"; keyToken: string | null; expectingKey: boolean } | { kind: "array"; index: number };

function currentPath(stack: readonly Frame[]): JsonPath {
  return stack.map((frame) =>
    frame.kind === "array"
      ? frame.index
      : frame.keyToken === null
        ? ""
        : (JSON.parse(frame.keyToken) as string),
  );
}

/**
 * At most 15 significant digits and no exponent: always exactly a double's shortest decimal (a double
 * keeps 15 decimal digits), so the full check is skipped for nearly every number.
 */
const SURELY_EXACT = /^-?(?:\d{1,15}|(?=[\d.]{1,16}$)\d+\.\d+)$/;

/**
 * Checks the text of a request body that JSON.parse accepted, without recursion: values under its
 * top-level object nested deeper than MAX_JSON_DEPTH (the body itself is one level more), and
 * numbers that would not arrive as written (see exact-number.ts). Paths start inside the body.
 */
export function jsonTextProblems(text: string, maxDepth: number = MAX_JSON_DEPTH + 1): JsonTextProblem[] {
  const problems: JsonTextProblem[] = [];
  let numbers = 0;
  const stack: Frame[] = [];
  for (let at = 0; at < text.length;) {
    const char = text[at]!;
    const top = stack[stack.length - 1];
    if (char === "{" || char === "[") {
      if (stack.length >= maxDepth)
        return [...problems, { path: currentPath(stack), problem: TOO_DEEP_PROBLEM }];
      stack.push(
        char === "{" ? { kind: "object", keyToken: null, expectingKey: true } : { kind: "array", index: 0 },
      );
      at++;
    } else if (char === "}" || char === "]") {
      stack.pop();
      at++;
    } else if (char === ",") {
      if (top?.kind === "array") top.index++;
      else if (top?.kind === "object") top.expectingKey = true;
      at++;
    } else if (char === ":") {
      if (top?.kind === "object") top.expectingKey = false;
      at++;
    } else if (char === '"') {
      const end = endOfString(text, at);
      if (top?.kind === "object" && top.expectingKey) top.keyToken = text.slice(at, end);
      at = end;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      NUMBER_AT.lastIndex = at;
      const token = NUMBER_AT.exec(text)?.[0] ?? char;
      const result = SURELY_EXACT.test(token) ? null : inexactNumberResult(token);
      if (result !== null && numbers++ < MAX_REPORTED_NUMBERS)
        problems.push({ path: currentPath(stack), problem: inexactNumberProblem(token, result) });
      at += token.length;
    } else {
      at++; // whitespace and the letters of true, false, null
    }
  }
  return problems;
}

/** The index just past the closing quote of the string starting at `start`. */
function endOfString(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let before = quote - 1; text[before] === "\\"; before--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}
