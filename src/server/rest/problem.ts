import { ZodError } from "zod";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  unavailabilitySummary,
} from "@/server/db/unavailable";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "@/server/services/errors";
import { fieldErrorsOf } from "@/server/services/validation";

/** Problem types are documented under this URI (RFC 9457 `type`). */
export const PROBLEM_TYPE_BASE = "https://durian.dev/problems/";
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "Bad Request"],
  401: ["unauthorized", "Unauthorized"],
  403: ["forbidden", "Forbidden"],
  404: ["not-found", "Not Found"],
  405: ["method-not-allowed", "Method Not Allowed"],
  409: ["conflict", "Conflict"],
  413: ["payload-too-large", "Payload Too Large"],
  415: ["unsupported-media-type", "Unsupported Media Type"],
  422: ["validation", "Unprocessable Content"],
  429: ["rate-limited", "Too Many Requests"],
  500: ["internal", "Internal Server Error"],
  503: ["unavailable", "Service Unavailable"],
};

/** An HTTP error answer the /api/v1 handlers throw; rendered as `application/problem+json`. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }

  toDocument(): ProblemDocument {
    const [slug, title] = TITLES[this.status] ?? ["about:blank", "Error"];
    const document: ProblemDocument = {
      type: PROBLEM_TYPE_BASE + slug,
      title,
      status: this.status,
      detail: this.detail,
    };
    if (this.extra.errors) document.errors = this.extra.errors;
    return document;
  }

  toResponse(): Response {
    return new Response(JSON.stringify(this.toDocument()), {
      status: this.status,
      headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...this.extra.headers },
    });
  }
}

const VALIDATION_DETAIL = "The request has invalid fields";

/** Any error as the problem to answer with: the services' domain errors keep their meaning. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ValidationError) {
    return new HttpProblem(422, VALIDATION_DETAIL, { errors: error.fieldErrors });
  }
  if (error instanceof ZodError)
    return new HttpProblem(422, VALIDATION_DETAIL, { errors: fieldErrorsOf(error.issues) });
  if (error instanceof NotFoundError) return new HttpProblem(404, error.message);
  if (error instanceof ConflictError) {
    const errors = (error as ConflictError & { fieldErrors?: FieldError[] }).fieldErrors;
    return new HttpProblem(409, error.message, errors ? { errors } : {});
  }
  if (error instanceof ForbiddenError) return new HttpProblem(403, error.message);
  if (isDatabaseUnavailable(error)) {
    console.warn(`durian /api/v1: the database is unavailable: ${unavailabilitySummary(error)}`);
    return new HttpProblem(503, "The database is unavailable; retry shortly", {
      headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  }
  console.error("durian /api/v1: unexpected error", error);
  return new HttpProblem(500, "An unexpected error occurred on the server");
}
