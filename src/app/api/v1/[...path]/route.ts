import { handleApiRequest } from "@/server/rest/dispatch";

// Every /api/v1 route but the benchmark's ceiling: the operation table (src/contracts/operations.ts)
// decides which operation a request is for, or answers 404 / 405 as problem+json.
export const GET = handleApiRequest;
export const POST = handleApiRequest;
export const PUT = handleApiRequest;
export const PATCH = handleApiRequest;
export const DELETE = handleApiRequest;
export const OPTIONS = handleApiRequest;
