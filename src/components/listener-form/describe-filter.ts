import { FILTER_OPERATORS } from "@/core/filter";
import { formatTypedValue } from "./filter-rows";

const LABELS = new Map<string, string>(FILTER_OPERATORS.map(({ operator, label }) => [operator, label]));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeOperand(operand: unknown): string {
  if (typeof operand === "string") return ` ${JSON.stringify(operand)}`;
  return ` ${formatTypedValue(operand)}`;
}

/** `$in` reads as a list of choices: `plan in "pro", "team"`. */
function describeChoices(operand: unknown): string {
  return Array.isArray(operand)
    ? ` ${operand.map((choice) => JSON.stringify(choice)).join(", ")}`
    : describeOperand(operand);
}

/**
 * The filter in words, one clause per condition: `name starts with "J"`, `amount at least 10`. Nested
 * filters are shown as JSON. An empty filter matches every event.
 */
export function describeFilter(filter: Record<string, unknown>): string[] {
  const clauses: string[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (!isPlainObject(condition)) {
      clauses.push(`${field} is${describeOperand(condition)}`);
      continue;
    }
    const operators = Object.entries(condition);
    if (operators.length === 0 || !operators.every(([key]) => key.startsWith("$"))) {
      clauses.push(`${field} matches ${JSON.stringify(condition)}`);
      continue;
    }
    for (const [operator, operand] of operators) {
      if (operator === "$any") {
        clauses.push(`${field} is anything`);
        continue;
      }
      const label = LABELS.get(operator) ?? operator;
      clauses.push(
        `${field} ${label}${operator === "$in" ? describeChoices(operand) : describeOperand(operand)}`,
      );
    }
  }
  return clauses;
}
