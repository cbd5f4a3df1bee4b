import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { hookDefinitionSchema } from "@/contracts";

describe("GET /api/v1/openapi.json", () => {
  it("describes every route from the schemas that validate requests", async () => {
    const response = GET();
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: {
        schemas: Record<string, { properties?: Record<string, { items?: unknown }>; required?: string[] }>;
      };
    };
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /api-keys",
        "POST /api-keys",
        "DELETE /api-keys/{id}",
        "GET /hooks",
        "GET /hooks/{name}",
        "PUT /hooks/{name}",
        "DELETE /hooks/{name}",
        "POST /hooks/{name}/events",
        "GET /listeners",
        "POST /listeners",
        "GET /listeners/{id}",
        "PATCH /listeners/{id}",
        "DELETE /listeners/{id}",
        "POST /listeners/{id}/rotate-secret",
        "POST /listeners/{id}/recover",
        "GET /events",
        "GET /events/{id}",
        "POST /events/{id}/replay",
        "GET /deliveries",
        "GET /deliveries/{id}",
        "POST /deliveries/{id}/retry",
      ].sort(),
    );

    // The request schema as the validator sees it: same required fields, same properties.
    const hookDefinition = document.components.schemas.HookDefinition!;
    expect(Object.keys(hookDefinition.properties ?? {}).sort()).toEqual(
      Object.keys(hookDefinitionSchema.shape).sort(),
    );
    expect(hookDefinition.required).toEqual(["providesArgs"]);
    expect(document.components.schemas).toHaveProperty("Filter");
    expect(document.components.schemas).toHaveProperty("Problem");

    const send = document.paths["/hooks/{name}/events"]!.post!;
    expect(Object.keys(send.responses).sort()).toEqual([
      "202",
      "400",
      "401",
      "403",
      "404",
      "413",
      "415",
      "422",
      "429",
      "503",
    ]);
  });
});
