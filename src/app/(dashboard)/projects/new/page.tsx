import type { Metadata } from "next";
import { requireSessionUser } from "@/server/auth/session";
import { NewProjectForm } from "./new-project-form";

export const metadata: Metadata = { title: "New project" };
export const dynamic = "force-dynamic";

export default async function NewProjectPage() {
  await requireSessionUser();
  return (
    <main className="mx-auto max-w-md px-4 py-16">
      <h1 className="text-2xl font-semibold">New project</h1>
      <p className="mt-1 text-sm text-zinc-700">Hooks, listeners and deliveries belong to one project.</p>
      <NewProjectForm />
    </main>
  );
}
