import { Prisma, type PrismaClient } from "@/generated/prisma/client";

// Every project has these built-in hooks. Durian sends their events itself when something happens to
// a listener or a delivery; users subscribe to them with ordinary listeners (forms, filters,
// signatures, retries). Their definitions live here only: they are created with each project, for
// every existing project when the server starts (syncOperationalHooks), and for a project that lacks
// them when an event is about to be sent to one (ensureOperationalHooks).

/** Hook names with this prefix are Durian's: a user cannot define, change, delete or send to them. */
export const OPERATIONAL_HOOK_PREFIX = "durian.";

/** `sender` of every operational event. */
export const OPERATIONAL_EVENT_SENDER = "durian";

export const OPERATIONAL_HOOKS = {
  listenerDisabled: {
    name: "durian.listener.disabled",
    verboseName: "A listener was disabled",
    description:
      "A listener was disabled: too many failed deliveries in a row (DURIAN_DISABLE_AFTER_FAILURES) or a 410 Gone.",
    providesArgs: ["listenerId", "hook", "url", "reason", "consecutiveFailures", "disabledAt"],
  },
  listenerFailing: {
    name: "durian.listener.failing",
    verboseName: "A listener is failing",
    description:
      "A listener's deliveries failed several times in a row (DURIAN_FAILING_AFTER_FAILURES); sent once per run of failures.",
    providesArgs: ["listenerId", "hook", "url", "consecutiveFailures", "lastStatusCode", "lastError"],
  },
  deliveryExhausted: {
    name: "durian.delivery.exhausted",
    verboseName: "A delivery exhausted its retries",
    description: "A delivery failed its last scheduled attempt and will not be tried again unless retried.",
    providesArgs: [
      "deliveryId",
      "eventId",
      "listenerId",
      "hook",
      "url",
      "attempts",
      "lastStatusCode",
      "lastError",
    ],
  },
  listenerRecovered: {
    name: "durian.listener.recovered",
    verboseName: "A listener recovered",
    description:
      "A disabled listener was enabled again, by a user or by self-healing pings, and its failed deliveries were retried.",
    providesArgs: ["listenerId", "hook", "url", "by", "recoveredDeliveries", "disabledAt"],
  },
} as const;

export type OperationalHookKey = keyof typeof OPERATIONAL_HOOKS;
export type OperationalHookName = (typeof OPERATIONAL_HOOKS)[OperationalHookKey]["name"];

const DEFINITIONS = Object.values(OPERATIONAL_HOOKS);

export function isOperationalHookName(name: string): boolean {
  return name.startsWith(OPERATIONAL_HOOK_PREFIX);
}

/**
 * The operational hooks of the projects given (every project when `projectIds` is null), created
 * where missing and brought up to date where their definition changed; one statement.
 */
async function upsertOperationalHooks(db: PrismaClient, projectIds: readonly string[] | null): Promise<void> {
  const projects =
    projectIds === null
      ? Prisma.sql`SELECT id FROM "Project"`
      : Prisma.sql`SELECT id FROM "Project" WHERE id = ANY(${projectIds as string[]}::text[])`;
  const now = Prisma.sql`${new Date().toISOString()}::timestamp(3)`;
  const rows = DEFINITIONS.map(
    (hook) =>
      Prisma.sql`(${hook.name}, ${hook.verboseName}, ${hook.description}, ${hook.providesArgs as readonly string[] as string[]}::text[])`,
  );
  // Ids are made in SQL here (one statement for any number of projects), in the cuid shape of newRecordId.
  await db.$executeRaw`
    INSERT INTO "Hook" (id, "projectId", name, "verboseName", description, "providesArgs", "createdAt", "updatedAt")
    SELECT 'c' || substr(md5(random()::text || p.id || d.name), 1, 24), p.id, d.name, d.verbose_name, d.description,
      d.provides_args, ${now}, ${now}
    FROM (${projects}) p CROSS JOIN (VALUES ${Prisma.join(rows)}) AS d(name, verbose_name, description, provides_args)
    ON CONFLICT ("projectId", name) DO UPDATE
    SET "verboseName" = EXCLUDED."verboseName", description = EXCLUDED.description,
      "providesArgs" = EXCLUDED."providesArgs", "updatedAt" = EXCLUDED."updatedAt"
    WHERE ("Hook"."verboseName", "Hook".description, "Hook"."providesArgs")
      IS DISTINCT FROM (EXCLUDED."verboseName", EXCLUDED.description, EXCLUDED."providesArgs")`;
}

/** Creates or updates the project's operational hooks. */
export async function ensureOperationalHooks(db: PrismaClient, projectId: string): Promise<void> {
  await upsertOperationalHooks(db, [projectId]);
}

/** Every project's operational hooks, at server start: projects made before they existed get them. */
export async function syncOperationalHooks(db: PrismaClient): Promise<void> {
  await upsertOperationalHooks(db, null);
}

/** Rows for `project.create`'s nested `hooks.create`: a new project has its operational hooks from the start. */
export function operationalHookRows(): Prisma.HookCreateWithoutProjectInput[] {
  return DEFINITIONS.map((hook) => ({
    name: hook.name,
    verboseName: hook.verboseName,
    description: hook.description,
    providesArgs: [...hook.providesArgs],
  }));
}
