import { after } from "next/server";
import { readBodyAtMost } from "@/server/inspector/read-body";
import { NotFoundError } from "@/server/services/errors";
import {
  INSPECTOR_MAX_BODY_BYTES,
  pruneInspectorRequests,
  recordInspectorRequest,
} from "@/server/services/inspector";

// The request inspector's receiving end: stores what arrives and answers 200 at once. Anyone may
// send here (that is the point); the token in the URL chooses the project, and each project keeps
// only its latest requests.

type Context = { params: Promise<{ token: string }> };

export const dynamic = "force-dynamic";

async function receive(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const { body, tooLarge } = await readBodyAtMost(request, INSPECTOR_MAX_BODY_BYTES);
  try {
    const recorded = await recordInspectorRequest(token, {
      method: request.method,
      headers: request.headers,
      body,
      bodyTooLarge: tooLarge,
    });
    after(() =>
      pruneInspectorRequests(recorded.projectId).catch((error) =>
        console.error("durian: inspector prune failed", error),
      ),
    );
    if (tooLarge) {
      return Response.json(
        {
          received: true,
          id: recorded.id,
          note: `Only the first ${INSPECTOR_MAX_BODY_BYTES / 1024} KB were read`,
        },
        { status: 413 },
      );
    }
    return Response.json({ received: true, id: recorded.id }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof NotFoundError) {
      return Response.json({ error: "No request inspector has this URL" }, { status: 404 });
    }
    throw error;
  }
}

export const POST = receive;
export const PUT = receive;
export const PATCH = receive;
export const DELETE = receive;

export function GET(): Response {
  return new Response(
    "This is a Durian request inspector. Send webhooks here with POST; they appear on the project's Inspector page.\n",
    { headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}
