import type { PrismaClient } from "@/generated/prisma/client";
import { getDb } from "@/server/db/client";
import { type PortalSettings, type PortalTheme, portalThemeSchema } from "@/contracts/portal";
import { NotFoundError } from "../errors";

/** What the portal's pages show of the project: its theme, with the project's name as the default. */
export interface PortalPresentation {
  name: string;
  logoUrl: string | null;
  primaryColor: string | null;
  backgroundColor: string | null;
}

/** A stored theme that no longer parses (an older, looser version) is shown as no theme at all. */
function storedTheme(value: unknown): PortalTheme {
  const parsed = portalThemeSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

export async function getPortalSettings(
  projectId: string,
  db: PrismaClient = getDb(),
): Promise<PortalSettings> {
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { portalOrigins: true, portalTheme: true },
  });
  if (!project) throw new NotFoundError("Project");
  return { allowedOrigins: project.portalOrigins, theme: storedTheme(project.portalTheme) };
}

/** Replaces the project's portal settings as a whole. */
export async function putPortalSettings(
  projectId: string,
  settings: PortalSettings,
  db: PrismaClient = getDb(),
): Promise<PortalSettings> {
  const { count } = await db.project.updateMany({
    where: { id: projectId },
    data: { portalOrigins: settings.allowedOrigins, portalTheme: settings.theme },
  });
  if (count === 0) throw new NotFoundError("Project");
  return getPortalSettings(projectId, db);
}

export async function portalPresentation(
  projectId: string,
  db: PrismaClient = getDb(),
): Promise<PortalPresentation> {
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: { name: true, portalTheme: true },
  });
  const theme = storedTheme(project.portalTheme);
  return {
    name: theme.name || project.name,
    logoUrl: theme.logoUrl ?? null,
    primaryColor: theme.primaryColor ?? null,
    backgroundColor: theme.backgroundColor ?? null,
  };
}
