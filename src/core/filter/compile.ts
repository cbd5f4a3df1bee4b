import { readFieldPath, splitFieldPath } from "./field-path";
import { isKnownOperator, isPlainObject, objectShape, OPERATORS, type ValueTest } from "./operators";
import { parseFilter } from "./schema";

export type PayloadPredicate = (payload: unknown) => boolean;
type ContainerTest = (container: Record<string, unknown>) => boolean;

function allOf<T>(tests: ReadonlyArray<(input: T) => boolean>): (input: T) => boolean {
  if (tests.length === 1) return tests[0]!;
  return (input) => {
    for (const test of tests) if (!test(input)) return false;
    return true;
  };
}

function compileFilterObject(filter: Record<string, unknown>): ContainerTest {
  const entryTests = Object.entries(filter).map(([key, condition]): ContainerTest => {
    const segments = splitFieldPath(key) ?? [key];
    const test = compileFieldCondition(condition);
    return (container) => test(readFieldPath(container, segments));
  });
  return entryTests.length === 0 ? () => true : allOf(entryTests);
}

function compileFieldCondition(condition: unknown): ValueTest {
  if (!isPlainObject(condition)) return OPERATORS.$is.test(condition as never, compileFieldCondition);
  if (objectShape(condition) === "nested") {
    // durian's deepmatch: the field must exist and be an object matching the nested filter.
    const nested = compileFilterObject(condition);
    return (value) => isPlainObject(value) && nested(value);
  }
  const operatorTests = Object.entries(condition).map(([operator, operand]) => {
    if (!isKnownOperator(operator)) throw new Error(`unknown operator "${operator}"`);
    const definition = OPERATORS[operator] as {
      test: (operand: unknown, compile: (condition: unknown) => ValueTest) => ValueTest;
    };
    return definition.test(operand, compileFieldCondition);
  });
  return allOf(operatorTests);
}

/**
 * Turns a filter into a fast predicate over payloads. The filter is checked first (throws
 * InvalidFilterError); a payload that is not an object is treated as one without fields.
 */
export function compileFilter(filter: unknown): PayloadPredicate {
  const test = compileFilterObject(parseFilter(filter));
  return (payload) => test(isPlainObject(payload) ? payload : {});
}

export function matchesFilter(filter: unknown, payload: unknown): boolean {
  return compileFilter(filter)(payload);
}
