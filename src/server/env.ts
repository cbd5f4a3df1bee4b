import { z } from "zod";
import { AllowlistParseError, parseAllowlist } from "@/core/delivery/allowlist";
import { MIN_KEY_TEXT_LENGTH } from "@/core/encryption";
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from "@/server/retention/window";

/**
 * Every environment variable Durian reads, validated once. A bad value stops the start with the
 * variable's name and what was expected, instead of failing deep inside a request.
 */

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "expected a postgres:// or postgresql:// URL");

const positiveInt = z.coerce.number().int().positive();

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** A comma-separated list, entries trimmed, empty ones dropped; unset is the empty list. */
const commaList = z
  .string()
  .default("")
  .transform((list) =>
    list
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

const secretKeyText = z
  .string()
  .min(
    MIN_KEY_TEXT_LENGTH,
    `expected at least ${MIN_KEY_TEXT_LENGTH} characters (e.g. openssl rand -base64 32)`,
  );

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  /** PostgreSQL server; unset means the embedded PGlite database under DURIAN_DATA_DIR. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
  DURIAN_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
  /** Public origin of the app, used for auth callbacks, Origin checks and links. */
  DURIAN_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Signs session cookies. Generated and kept under DURIAN_DATA_DIR when unset. */
  BETTER_AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "expected at least 32 characters").optional(),
  ),
  /** Encrypts listener signing secrets in the database. Generated and kept under DURIAN_DATA_DIR when unset. */
  DURIAN_SECRET_KEY: z.preprocess(emptyAsUndefined, secretKeyText.optional()),
  /** Earlier values of DURIAN_SECRET_KEY, comma-separated: they still decrypt, never encrypt. */
  DURIAN_SECRET_KEY_PREVIOUS: z.preprocess(emptyAsUndefined, commaList.pipe(z.array(secretKeyText))),
  /** Which runner delivers webhooks; defaults to embedded unless Inngest is configured. */
  DURIAN_RUNNER: z.preprocess(emptyAsUndefined, z.enum(["embedded", "inngest"]).optional()),
  INNGEST_EVENT_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_SIGNING_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_DEV: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** Destinations exempt from the private-address block: host names, IPs or CIDR ranges, hosts optionally with a port. */
  DURIAN_ALLOWED_HOSTS: z.preprocess(
    emptyAsUndefined,
    commaList.superRefine((entries, context) => {
      try {
        parseAllowlist(entries);
      } catch (error) {
        if (!(error instanceof AllowlistParseError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
      }
    }),
  ),
  DURIAN_RATE_LIMIT_PER_SECOND: z.preprocess(emptyAsUndefined, positiveInt.default(100)),
  DURIAN_RATE_LIMIT_BURST: z.preprocess(emptyAsUndefined, positiveInt.default(200)),
  /** Sign-in and sign-up attempts allowed per client address and minute. */
  DURIAN_AUTH_ATTEMPTS_PER_MINUTE: z.preprocess(emptyAsUndefined, positiveInt.default(20)),
  DURIAN_DISABLE_AFTER_FAILURES: z.preprocess(emptyAsUndefined, positiveInt.default(20)),
  /** Failed deliveries in a row after which a `durian.listener.failing` operational event is sent. */
  DURIAN_FAILING_AFTER_FAILURES: z.preprocess(emptyAsUndefined, positiveInt.default(5)),
  /** Bearer token for GET /api/metrics (Prometheus); unset, the endpoint answers 404. */
  DURIAN_METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, "expected at least 16 characters (e.g. openssl rand -hex 32)").optional(),
  ),
  DURIAN_RUNNER_CONCURRENCY: z.preprocess(emptyAsUndefined, positiveInt.default(100)),
  DURIAN_RUNNER_PROJECT_CONCURRENCY: z.preprocess(emptyAsUndefined, positiveInt.default(50)),
  DURIAN_RUNNER_LISTENER_CONCURRENCY: z.preprocess(emptyAsUndefined, positiveInt.default(5)),
  /** Days events, deliveries, attempts and inspector requests are kept before they are deleted. */
  DURIAN_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    positiveInt.max(MAX_RETENTION_DAYS).default(DEFAULT_RETENTION_DAYS),
  ),
  /** How long a stop (SIGTERM, SIGINT) may take: drain requests, stop the runner, close the database. */
  DURIAN_SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyAsUndefined, positiveInt.default(10_000)),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
  );
}

let cached: Env | undefined;

/** The validated environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
