import { describe, expect, it } from "vitest";
import { hookDefinitionSchema } from "@/contracts";
import { operations } from "@/contracts/operations";
import { dispatch, TEST_ORIGIN } from "@/testing/api-harness";

interface OpenApiOperation {
  operationId?: string;
  requestBody?: { required?: boolean };
  responses: Record<string, { headers?: Record<string, { required?: boolean }> }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[]; anyOf?: unknown[] }>;
  };
}

async function servedDocument(): Promise<OpenApiDocument> {
  const response = await dispatch(new Request(`${TEST_ORIGIN}/api/v1/openapi.json`));
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

describe("GET /api/v1/openapi.json", () => {
  it("describes each operation of the table, by its id, and nothing else", async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe("3.1.0");
    const described = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, operation]) => `${operation.operationId} ${method.toUpperCase()} ${path}`,
      ),
    );
    const table = Object.entries(operations).map(
      ([id, operation]) => `${id} ${operation.method} ${operation.path}`,
    );
    expect(described.sort()).toEqual(table.sort());
  });

  it("marks every body the server requires as required", async () => {
    const document = await servedDocument();
    for (const operation of Object.values(operations)) {
      const described = document.paths[operation.path]![operation.method.toLowerCase()]!;
      expect(described.requestBody?.required ?? false, `${operation.method} ${operation.path}`).toBe(
        "body" in operation,
      );
    }
  });

  it("describes the headers the server answers with", async () => {
    const document = await servedDocument();
    const send = document.paths["/hooks/{name}/events"]!.post!;
    expect(Object.keys(send.responses).sort()).toEqual(
      ["202", "400", "401", "403", "404", "413", "415", "422", "429", "503"].sort(),
    );
    expect(send.responses["202"]!.headers).toHaveProperty("Idempotent-Replayed");
    expect(send.responses["202"]!.headers!["Idempotent-Replayed"]!.required).toBeFalsy();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method} ${path}`;
        expect(operation.responses["401"]?.headers, where).toHaveProperty("WWW-Authenticate");
        expect(operation.responses["429"]?.headers, where).toHaveProperty("Retry-After");
        expect(operation.responses["503"]?.headers, where).toHaveProperty("Retry-After");
      }
    }
  });

  it("renders the request schemas as the validator sees them, with one named JSON value", async () => {
    const document = await servedDocument();
    const hookDefinition = document.components.schemas.HookDefinition!;
    expect(Object.keys(hookDefinition.properties ?? {}).sort()).toEqual(
      Object.keys(hookDefinitionSchema.shape).sort(),
    );
    expect(hookDefinition.required).toEqual(["providesArgs"]);
    expect(document.components.schemas).toHaveProperty("Filter");
    expect(document.components.schemas).toHaveProperty("Problem");

    const text = JSON.stringify(document);
    expect(text).not.toMatch(/__schema\d/);
    expect(document.components.schemas.JsonValue?.anyOf).toHaveLength(6);
    expect(document.components.schemas.Filter).toMatchObject({
      additionalProperties: { $ref: "#/components/schemas/JsonValue" },
    });
  });
});
