import { z } from "zod";
import { storableString } from "@/contracts/common";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "@/server/api/trpc";
import {
  addMemberByEmail,
  createProject,
  listMembers,
  listProjectsForUser,
  PROJECT_NAME_MAX_LENGTH,
} from "@/server/services/projects";

export const projectNameSchema = storableString()
  .trim()
  .min(1, "A project needs a name")
  .max(PROJECT_NAME_MAX_LENGTH);

export const projectRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listProjectsForUser(ctx.user.id)),

  create: protectedProcedure
    .input(z.object({ name: projectNameSchema }))
    .mutation(({ ctx, input }) => createProject({ name: input.name, ownerId: ctx.user.id })),

  members: projectProcedure.query(({ ctx }) => listMembers(ctx.projectId)),

  addMember: projectProcedure
    .input(z.object({ email: z.email("Enter an email address") }))
    .mutation(({ ctx, input }) =>
      addMemberByEmail({ projectId: ctx.projectId, actorId: ctx.user.id, email: input.email }),
    ),
});
