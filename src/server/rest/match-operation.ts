import { type HttpMethod, type OperationId, operations } from "@/contracts/operations";
import { HttpProblem } from "./problem";

/**
 * Finds the operation of the table a request is for, as Next's App Router would find a route file:
 * the most specific path first (a literal segment before a `{param}`), then the method. A known
 * path with another method is 405, an unknown path 404.
 */

export type OperationMatch =
  | { kind: "operation"; id: OperationId; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: HttpMethod[] }
  | { kind: "not-found" };

type Segment = { literal: string } | { param: string };

interface PathRoute {
  segments: Segment[];
  methods: Map<HttpMethod, OperationId>;
}

function compileRoutes(): PathRoute[] {
  const byPath = new Map<string, PathRoute>();
  for (const [id, operation] of Object.entries(operations) as [
    OperationId,
    (typeof operations)[OperationId],
  ][]) {
    let route = byPath.get(operation.path);
    if (!route) {
      const segments = operation.path
        .split("/")
        .filter(Boolean)
        .map((part): Segment => (part.startsWith("{") ? { param: part.slice(1, -1) } : { literal: part }));
      route = { segments, methods: new Map() };
      byPath.set(operation.path, route);
    }
    if (route.methods.has(operation.method))
      throw new Error(`Two operations for ${operation.method} ${operation.path}`);
    route.methods.set(operation.method, id);
  }
  return [...byPath.values()].sort((a, b) => specificity(a).localeCompare(specificity(b)));
}

/** Sorts literal segments before parameters, position by position. */
function specificity(route: PathRoute): string {
  return route.segments.map((segment) => ("literal" in segment ? "0" : "1")).join("");
}

const ROUTES = compileRoutes();

/** `path` is the part after /api/v1, still percent-encoded. HEAD is answered as GET. */
export function matchOperation(method: string, path: string): OperationMatch {
  const parts = path.split("/").filter(Boolean);
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    if (
      !route.segments.every((segment, index) => !("literal" in segment) || segment.literal === parts[index])
    )
      continue;
    const id = route.methods.get((method === "HEAD" ? "GET" : method) as HttpMethod);
    if (!id) return { kind: "method-not-allowed", allowed: [...route.methods.keys()] };
    const params: Record<string, string> = {};
    route.segments.forEach((segment, index) => {
      if ("param" in segment) params[segment.param] = decodeSegment(parts[index]!);
    });
    return { kind: "operation", id, params };
  }
  return { kind: "not-found" };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, `The request path segment "${segment}" is not valid percent-encoding`);
  }
}
