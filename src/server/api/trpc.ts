/**
 * The one place where tRPC is wired: context, initialisation, the procedures every router builds on.
 *
 * 1. Context: the signed-in user (if any) and the request headers; on the portal's endpoint, the
 *    portal link's token instead of a session.
 * 2. Initialisation: superjson, and service errors mapped to tRPC codes.
 * 3. Procedures: public, protected (needs a session; its mutations must come from the app's own
 *    pages), project (needs membership of `projectId`) and portal (needs a portal link's token).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { MAX_JSON_DEPTH, pathDeeperThan, TOO_DEEP_PROBLEM } from "@/core/payload/json-depth";
import { UNSTORABLE_TEXT_PROBLEM, unstorableTextPaths } from "@/core/payload/storable-text";
import { isTrustedOrigin } from "@/server/http/origins";
import { getSessionUser } from "@/server/auth/session";
import { isDatabaseUnavailable, unavailabilitySummary } from "@/server/db/unavailable";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "@/server/services/errors";
import { PortalScope } from "@/server/services/portal/scope";
import { PORTAL_TOKEN_HEADER } from "@/contracts/portal";
import { fieldErrorsOf } from "@/server/services/validation";
import { requireMembership } from "@/server/services/projects";

// 1. Context ----------------------------------------------------------------------------------

export async function createTRPCContext({ headers }: { headers: Headers }) {
  try {
    return { headers, user: await getSessionUser(headers) };
  } catch (error) {
    throw asDatabaseUnavailable(error) ?? error;
  }
}

/** The portal's endpoint looks at no session: a portal page is its link's token and nothing else. */
export function createPortalTRPCContext({ headers }: { headers: Headers }): TRPCContext {
  return { headers, user: null, portalToken: headers.get(PORTAL_TOKEN_HEADER) };
}

const DATABASE_UNAVAILABLE_MESSAGE = "The database is unavailable right now. Try again in a moment.";

/** A lost database connection is told as such (503), not hidden behind a generic server error. */
function asDatabaseUnavailable(error: unknown): TRPCError | null {
  if (!isDatabaseUnavailable(error)) return null;
  console.warn(`durian /api/trpc: the database is unavailable: ${unavailabilitySummary(error)}`);
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause: error });
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>> & { portalToken?: string | null };

// 2. Initialisation -----------------------------------------------------------------------------

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors = cause instanceof ValidationError ? cause.fieldErrors : null;
    // An unexpected failure's own text (a database error, say) is for the server log, not the browser.
    const hidden = error.code === "INTERNAL_SERVER_ERROR" && process.env.NODE_ENV === "production";
    const message = hidden ? "Something went wrong on our side. Try again in a moment." : shape.message;
    return { ...shape, message, data: { ...shape.data, fieldErrors } };
  },
});

/**
 * Translates the services' domain errors into tRPC errors the client understands. Input refused by
 * a procedure's schema (the contracts' own, as the REST API uses them) reads as a service's
 * refusal did: a ValidationError naming each field.
 */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause =
    result.error.cause instanceof ZodError
      ? new ValidationError(fieldErrorsOf(result.error.cause.issues))
      : result.error.cause;
  const code =
    cause instanceof NotFoundError
      ? "NOT_FOUND"
      : cause instanceof ValidationError
        ? "BAD_REQUEST"
        : cause instanceof ConflictError
          ? "CONFLICT"
          : cause instanceof ForbiddenError
            ? "FORBIDDEN"
            : cause instanceof UnauthorizedError
              ? "UNAUTHORIZED"
              : null;
  if (code) throw new TRPCError({ code, message: cause!.message, cause });
  const unavailable = asDatabaseUnavailable(cause);
  if (unavailable) throw unavailable;
  return result;
});

/** Procedure inputs wrap the values they carry (`{projectId, listener: {filter}}`) this many levels. */
const INPUT_WRAPPING_LEVELS = 3;

/**
 * Input no procedure could store is refused before any schema walks it: nesting far past
 * MAX_JSON_DEPTH (checked without recursion, so 10,000 levels cannot exhaust the stack), and text
 * holding NUL or an unpaired surrogate, which PostgreSQL refuses with an error that would be a 500.
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const input = await getRawInput();
  const tooDeep = pathDeeperThan(input, MAX_JSON_DEPTH + INPUT_WRAPPING_LEVELS);
  const fieldErrors = tooDeep
    ? [{ path: tooDeep.join("."), message: TOO_DEEP_PROBLEM }]
    : unstorableTextPaths(input).map((path) => ({ path: path.join("."), message: UNSTORABLE_TEXT_PROBLEM }));
  if (fieldErrors.length === 0) return next();
  const cause = new ValidationError(fieldErrors);
  throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

// 3. Procedures --------------------------------------------------------------------------------

export const publicProcedure = t.procedure.use(mapServiceErrors).use(refuseUnstorableInput);

export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  if (type === "mutation" && !isTrustedOrigin(ctx.headers.get("origin"))) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Changes are accepted only from this app's own pages",
    });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Procedures on one project's data: the caller must be a member, else the project is "not found". */
export const projectProcedure = protectedProcedure
  .input(z.object({ projectId: z.string().min(1) }))
  .use(async ({ ctx, input, next }) => {
    const membership = await requireMembership(input.projectId, ctx.user.id);
    return next({ ctx: { ...ctx, projectId: input.projectId, role: membership.role } });
  });

/**
 * Procedures of the customer portal: the link's token (sent with every request, as a header, since a
 * portal framed on another site may get no cookies) opens a PortalScope, and the procedure acts only
 * through it. The project and the customer come from the link, never from the input. No Origin check:
 * nothing here rides on a cookie, so another site cannot act with the visitor's credentials.
 */
export const portalProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.portalToken) throw new TRPCError({ code: "UNAUTHORIZED", message: "This needs a portal link" });
  // An unknown, expired or revoked link is refused (UNAUTHORIZED, saying which) by mapServiceErrors.
  return next({ ctx: { ...ctx, portal: await PortalScope.open(ctx.portalToken) } });
});
