import Image from "next/image";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireSessionUser } from "@/server/auth/session";
import { NotFoundError } from "@/server/services/errors";
import { listProjectsForUser, requireMembership } from "@/server/services/projects";
import { ProjectSwitcher } from "../../project-switcher";
import { SignOutButton } from "../../sign-out-button";
import { ProjectNav } from "./nav";

export const dynamic = "force-dynamic";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ projectId: string }>;
}) {
  const { projectId } = await params;
  const user = await requireSessionUser();
  try {
    await requireMembership(projectId, user.id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const projects = await listProjectsForUser(user.id);
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <div className="flex items-center gap-3">
            <Link href="/" className="flex items-center gap-1.5 font-semibold text-brand-700">
              <Image src="/icon.svg" alt="" width={24} height={24} unoptimized />
              Durian
            </Link>
            <ProjectSwitcher projects={projects} currentId={projectId} />
          </div>
          <div className="flex items-center gap-2 text-sm text-zinc-700">
            <span className="hidden sm:inline" data-testid="user-email">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6 md:flex-row">
        <aside className="md:w-44 md:shrink-0">
          <ProjectNav projectId={projectId} />
        </aside>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
