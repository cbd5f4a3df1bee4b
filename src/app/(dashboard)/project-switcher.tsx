"use client";

import { useRouter } from "next/navigation";

type Project = { id: string; name: string };

const NEW_PROJECT = "__new__";

export function ProjectSwitcher({ projects, currentId }: { projects: Project[]; currentId: string }) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Project</span>
      <select
        value={currentId}
        onChange={(event) => {
          const value = event.target.value;
          router.push(value === NEW_PROJECT ? "/projects/new" : `/projects/${value}`);
        }}
        className="max-w-48 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm"
      >
        {projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
        <option value={NEW_PROJECT}>+ New project…</option>
      </select>
    </label>
  );
}
