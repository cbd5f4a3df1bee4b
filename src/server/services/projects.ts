import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { operationalHookRows } from "@/server/operational/hooks";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./errors";

export const PROJECT_NAME_MAX_LENGTH = 80;

export async function createProject(
  { name, ownerId }: { name: string; ownerId: string },
  db: PrismaClient = getDb(),
) {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError([{ path: "name", message: "A project needs a name" }]);
  if (trimmed.length > PROJECT_NAME_MAX_LENGTH) {
    throw new ValidationError([{ path: "name", message: `At most ${PROJECT_NAME_MAX_LENGTH} characters` }]);
  }
  return db.project.create({
    data: {
      name: trimmed,
      members: { create: { userId: ownerId, role: "owner" } },
      hooks: { create: operationalHookRows() },
    },
  });
}

export async function listProjectsForUser(userId: string, db: PrismaClient = getDb()) {
  return db.project.findMany({
    where: { members: { some: { userId } } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true },
  });
}

/**
 * The user's membership of the project. A project the user does not belong to is reported as not
 * found, never as forbidden, so its existence is not revealed.
 */
export async function requireMembership(projectId: string, userId: string, db: PrismaClient = getDb()) {
  const membership = await db.projectMember.findUnique({
    where: { projectId_userId: { projectId, userId } },
    include: { project: { select: { id: true, name: true, inspectorToken: true } } },
  });
  if (!membership) throw new NotFoundError("Project");
  return membership;
}

export async function firstProjectIdForUser(userId: string, db: PrismaClient = getDb()) {
  const membership = await db.projectMember.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { projectId: true },
  });
  return membership?.projectId ?? null;
}

export async function listMembers(projectId: string, db: PrismaClient = getDb()) {
  const members = await db.projectMember.findMany({
    where: { projectId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  return members.map(({ user, role, createdAt }) => ({ ...user, role, joinedAt: createdAt }));
}

/** Adds an existing user, found by email, to the project. Only owners may add members. */
export async function addMemberByEmail(
  { projectId, actorId, email }: { projectId: string; actorId: string; email: string },
  db: PrismaClient = getDb(),
) {
  const actor = await requireMembership(projectId, actorId, db);
  if (actor.role !== "owner") throw new ForbiddenError("Only a project owner can add members");
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) {
    throw new ValidationError([
      { path: "email", message: "No Durian user has this email; ask them to sign up first" },
    ]);
  }
  const existing = await db.projectMember.findUnique({
    where: { projectId_userId: { projectId, userId: user.id } },
  });
  if (existing) throw new ConflictError(`${user.email} is already a member`);
  await db.projectMember.create({ data: { projectId, userId: user.id, role: "member" } });
  return { id: user.id, email: user.email, name: user.name, role: "member" as const };
}
