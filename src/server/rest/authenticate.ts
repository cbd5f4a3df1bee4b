import { isTrustedOrigin } from "@/server/http/origins";
import { getSessionUser } from "@/server/auth/session";
import { authenticateApiKey } from "@/server/services/api-keys";
import { firstProjectIdForUser, requireMembership } from "@/server/services/projects";
import { HttpProblem } from "./problem";

/** Who is calling: an API key (which belongs to one project) or a signed-in dashboard user. */
export type Principal =
  { kind: "api-key"; apiKeyId: string; projectId: string } | { kind: "session"; userId: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const CHALLENGE = { "www-authenticate": 'Bearer realm="durian"' };

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { headers: CHALLENGE });
}

/** 401 for a missing, malformed, unknown or revoked key, and for a request with neither key nor session. */
export async function identify(request: Request): Promise<Principal> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = BEARER.exec(authorization);
    if (!match) throw unauthorized("The Authorization header must be 'Bearer <API key>'");
    const key = await authenticateApiKey(match[1]!);
    if (!key) throw unauthorized("The API key is not valid or has been revoked");
    return { kind: "api-key", ...key };
  }
  if (request.headers.has("cookie")) {
    const user = await getSessionUser(request.headers);
    if (user) return { kind: "session", userId: user.id };
  }
  throw unauthorized("Send an API key as 'Authorization: Bearer <key>', or sign in to the dashboard");
}

/** A cookie-authenticated write must come from the app's own pages (see isTrustedOrigin). */
export function assertTrustedOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!isTrustedOrigin(origin)) {
    throw new HttpProblem(
      403,
      origin === null
        ? "A write with a session cookie must carry an Origin header from this app"
        : `Writes with a session cookie are accepted only from this app, not from ${origin}`,
    );
  }
}

/**
 * The project the request acts on. An API key's own project (naming another is "not found"); for a
 * session, the `projectId` given if the user is a member, else the user's first project.
 */
export async function resolveProjectId(principal: Principal, requested: string | undefined): Promise<string> {
  if (principal.kind === "api-key") {
    if (requested !== undefined && requested !== principal.projectId)
      throw new HttpProblem(404, "Project not found");
    return principal.projectId;
  }
  if (requested !== undefined) {
    await requireMembership(requested, principal.userId);
    return requested;
  }
  const first = await firstProjectIdForUser(principal.userId);
  if (!first) throw new HttpProblem(404, "You are not a member of any project");
  return first;
}
