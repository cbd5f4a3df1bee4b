/**
 * Errors the services raise for the HTTP surfaces to translate: tRPC codes for the dashboard,
 * problem+json statuses for /api/v1.
 */

export type FieldError = { path: string; message: string };

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

export class ValidationError extends Error {
  constructor(
    readonly fieldErrors: FieldError[],
    message = fieldErrors.map((error) => `${error.path || "(body)"}: ${error.message}`).join("; "),
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The caller's credential (a portal link, say) is unknown, expired or revoked. */
export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnauthorizedError";
  }
}
