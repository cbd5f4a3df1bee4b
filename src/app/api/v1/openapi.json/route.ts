import { openApiDocument } from "@/server/rest/openapi";

/** The OpenAPI 3.1 description of /api/v1, generated from the schemas that validate requests. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
