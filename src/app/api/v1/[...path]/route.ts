import { notFoundResponse } from "@/server/rest/route";

// Anything under /api/v1 that no route handles: a problem+json 404 rather than the HTML page.
export const GET = notFoundResponse;
export const POST = notFoundResponse;
export const PUT = notFoundResponse;
export const PATCH = notFoundResponse;
export const DELETE = notFoundResponse;
