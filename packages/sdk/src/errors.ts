/** Base class of every error the SDK throws on purpose, so callers can catch them all at once. */
export class DurianError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One field error of a validation problem (422): where, and what is wrong there. */
export interface FieldError {
  /** Dotted path into the request body, e.g. `providesArgs.1` or `filter.name.$like`. */
  path: string;
  message: string;
}

export interface DurianApiErrorInit {
  method: string;
  url: string;
  status: number;
  type: string;
  title: string;
  detail: string;
  errors: FieldError[];
  retryAfterSeconds: number | undefined;
  body: unknown;
}

/**
 * The Durian API answered with an error (an `application/problem+json` document, or any other
 * non-2xx response, described as well as its body allows).
 */
export class DurianApiError extends DurianError {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The problem type URI (`about:blank` when the server gave none). */
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** Field errors of a validation problem; empty for other problems. */
  readonly errors: FieldError[];
  /** From the `Retry-After` header of a 429 (or 503), when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  /** The parsed response body, for anything the typed fields leave out. */
  readonly body: unknown;

  constructor(init: DurianApiErrorInit) {
    super(describeProblem(init));
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.type = init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.body = init.body;
  }
}

function describeProblem(init: DurianApiErrorInit): string {
  const head = `${init.method} ${init.url} failed with ${init.status} ${init.title}`;
  const detail = init.detail && init.detail !== init.title ? `: ${init.detail}` : "";
  const fields = init.errors.map((error) => `${error.path || "(body)"}: ${error.message}`).join("; ");
  return fields ? `${head}${detail} (${fields})` : `${head}${detail}`;
}

/** The request never got an HTTP answer (connection refused, DNS failure, aborted, ...). */
export class DurianConnectionError extends DurianError {
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${method} ${url} got no response: ${reason}`, { cause });
    this.method = method;
    this.url = url;
  }
}

/** A hook with this name is already in the registry. */
export class AlreadyRegistered extends DurianError {
  constructor(
    readonly hookName: string,
    where = "",
  ) {
    super(`A hook named "${hookName}" is already registered${where ? ` ${where}` : ""}`);
  }
}

/** The hook is not in the registry (or, for `send`/`save`, not registered with any Durian client). */
export class NotRegistered extends DurianError {
  constructor(
    readonly hookName: string,
    hint = "",
  ) {
    super(`No hook named "${hookName}" is registered${hint ? `: ${hint}` : ""}`);
  }
}

/** A hook definition the server would refuse (bad name, repeated providesArgs, ...). */
export class InvalidHookDefinition extends DurianError {
  constructor(
    readonly hookName: string,
    readonly field: string,
    problem: string,
  ) {
    super(`Hook "${hookName}": ${field} ${problem}`);
  }
}

/** A filter or matcher that cannot be serialised to the filter language. */
export class InvalidFilter extends DurianError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(field ? `Filter field "${field}": ${problem}` : `Filter: ${problem}`);
  }
}

/** A payload or send option the API would refuse, caught before anything leaves the app. */
export class InvalidPayload extends DurianError {}

/** ModelHook wrote the record but could not send the event; the write itself has happened. */
export class ModelHookSendError extends DurianError {
  constructor(
    readonly hookName: string,
    readonly record: Record<string, unknown>,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Hook "${hookName}": the record was written but the event was not sent: ${reason}`, { cause });
  }
}
