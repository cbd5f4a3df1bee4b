import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/testing/databases";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "./errors";
import {
  addMemberByEmail,
  createProject,
  firstProjectIdForUser,
  listMembers,
  listProjectsForUser,
  requireMembership,
} from "./projects";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function createUser(email: string) {
  return database.db.user.create({ data: { id: email, email, name: email.split("@")[0]! } });
}

describe("projects", () => {
  it("makes the creator the owner and lists the user's projects in creation order", async () => {
    const { db } = database;
    const ada = await createUser("ada@example.test");
    const first = await createProject({ name: "Default", ownerId: ada.id }, db);
    const second = await createProject({ name: "  Billing  ", ownerId: ada.id }, db);

    expect(second.name).toBe("Billing");
    expect((await listProjectsForUser(ada.id, db)).map((project) => project.id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(await firstProjectIdForUser(ada.id, db)).toBe(first.id);
    expect((await requireMembership(first.id, ada.id, db)).role).toBe("owner");
  });

  it("refuses a blank project name and creates nothing", async () => {
    const { db } = database;
    const bob = await createUser("bob@example.test");
    await expect(createProject({ name: "   ", ownerId: bob.id }, db)).rejects.toBeInstanceOf(ValidationError);
    expect(await listProjectsForUser(bob.id, db)).toEqual([]);
  });

  it("reports another user's project as not found", async () => {
    const { db } = database;
    const owner = await createUser("owner@example.test");
    const stranger = await createUser("stranger@example.test");
    const project = await createProject({ name: "Private", ownerId: owner.id }, db);
    await expect(requireMembership(project.id, stranger.id, db)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireMembership("no-such-project", owner.id, db)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets an owner add an existing user by email, once", async () => {
    const { db } = database;
    const owner = await createUser("carol@example.test");
    const dave = await createUser("dave@example.test");
    const project = await createProject({ name: "Team", ownerId: owner.id }, db);

    const added = await addMemberByEmail(
      { projectId: project.id, actorId: owner.id, email: " Dave@Example.test " },
      db,
    );
    expect(added).toMatchObject({ id: dave.id, role: "member" });
    expect((await listMembers(project.id, db)).map((member) => [member.email, member.role])).toEqual([
      ["carol@example.test", "owner"],
      ["dave@example.test", "member"],
    ]);

    await expect(
      addMemberByEmail({ projectId: project.id, actorId: owner.id, email: "dave@example.test" }, db),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      addMemberByEmail({ projectId: project.id, actorId: owner.id, email: "nobody@example.test" }, db),
    ).rejects.toThrow(/No Durian user has this email/);
  });

  it("does not let a member add members, nor a stranger learn the project exists", async () => {
    const { db } = database;
    const owner = await createUser("erin@example.test");
    const member = await createUser("frank@example.test");
    const stranger = await createUser("grace@example.test");
    const project = await createProject({ name: "Ops", ownerId: owner.id }, db);
    await addMemberByEmail({ projectId: project.id, actorId: owner.id, email: member.email }, db);

    await expect(
      addMemberByEmail({ projectId: project.id, actorId: member.id, email: stranger.email }, db),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      addMemberByEmail({ projectId: project.id, actorId: stranger.id, email: stranger.email }, db),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await listMembers(project.id, db)).toHaveLength(2);
  });
});
