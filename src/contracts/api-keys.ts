import { z } from "zod";
import { idSchema, storableString, timestampSchema } from "./common";

export const MAX_API_KEY_NAME_LENGTH = 100;

/** Body of `POST /api/v1/api-keys` (a signed-in session only). */
export const createApiKeySchema = z
  .object({
    name: storableString()
      .trim()
      .min(1, "an API key needs a name")
      .max(MAX_API_KEY_NAME_LENGTH, `at most ${MAX_API_KEY_NAME_LENGTH} characters`),
    projectId: idSchema.optional().meta({ description: "Default: the user's first project" }),
  })
  .meta({ id: "CreateApiKey" });
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
export type CreateApiKey = z.output<typeof createApiKeySchema>;

export const apiKeySchema = z
  .object({
    id: idSchema,
    name: z.string(),
    prefix: z.string().meta({ description: "The key's first characters, to tell keys apart" }),
    lastUsedAt: timestampSchema.nullable().meta({ description: "Updated at most once a minute" }),
    revokedAt: timestampSchema.nullable(),
    createdAt: timestampSchema,
  })
  .meta({ id: "ApiKey" });

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().meta({ description: "The whole key (`durian_…`), shown only this once" }) })
  .meta({ id: "CreatedApiKey" });

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) }).meta({ id: "ApiKeyList" });
