import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { ownOrigins, publicOrigin } from "@/server/http/origins";
import { createProject } from "@/server/services/projects";
import { authSecret } from "./secret";

export const MIN_PASSWORD_LENGTH = 8;
const FIRST_PROJECT_NAME = "Default";

function createAuth() {
  return betterAuth({
    baseURL: publicOrigin(),
    secret: authSecret(),
    trustedOrigins: ownOrigins(),
    database: prismaAdapter(getDb(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, autoSignIn: true },
    telemetry: { enabled: false },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: env().DURIAN_AUTH_ATTEMPTS_PER_MINUTE },
        "/sign-up/email": { window: 60, max: env().DURIAN_AUTH_ATTEMPTS_PER_MINUTE },
      },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await createProject({ name: FIRST_PROJECT_NAME, ownerId: user.id });
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { durianAuth?: Auth };

/** Created on first use, so that `next build` never opens the database. */
export function getAuth(): Auth {
  globalForAuth.durianAuth ??= createAuth();
  return globalForAuth.durianAuth;
}
