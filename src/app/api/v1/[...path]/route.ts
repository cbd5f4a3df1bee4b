import { handleApiRequest } from "@/server/rest/dispatch";

// /api/v1 under `next dev`; `npm start`'s server serves it without Next (src/server/rest/serve.ts).
// The operation table (src/contracts/operations.ts) decides which operation a request is for, or
// answers 404 / 405 as problem+json.
export const GET = handleApiRequest;
export const POST = handleApiRequest;
export const PUT = handleApiRequest;
export const PATCH = handleApiRequest;
export const DELETE = handleApiRequest;
export const OPTIONS = handleApiRequest;
