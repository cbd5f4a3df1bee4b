import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { env } from "@/server/env";
import { chooseRunner } from "@/server/runner/choose-runner";
import { inngestApp } from "@/server/runner/inngest/app";

// Inngest calls Durian's functions here (register on PUT, run steps on POST, introspect on GET).
// Served only when Inngest is the delivery runner, so a stray Inngest server cannot run deliveries
// beside the embedded runner.

export const dynamic = "force-dynamic";

type InngestHandler = ReturnType<typeof serve>;
let handler: InngestHandler | undefined;

function inngestHandler(): InngestHandler | undefined {
  if (chooseRunner(env()).kind !== "inngest") return undefined;
  const { client, functions } = inngestApp();
  handler ??= serve({ client, functions: [...functions.all] });
  return handler;
}

function notServed(): Response {
  return Response.json(
    {
      error:
        "Inngest is not this server's delivery runner: the embedded runner delivers webhooks. " +
        "Set DURIAN_RUNNER=inngest with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or INNGEST_DEV=1) to serve Inngest here.",
    },
    { status: 404 },
  );
}

export async function GET(request: NextRequest, context: unknown): Promise<Response> {
  const served = inngestHandler();
  return served ? served.GET(request, context) : notServed();
}

export async function POST(request: NextRequest, context: unknown): Promise<Response> {
  const served = inngestHandler();
  return served ? served.POST(request, context) : notServed();
}

export async function PUT(request: NextRequest, context: unknown): Promise<Response> {
  const served = inngestHandler();
  return served ? served.PUT(request, context) : notServed();
}
