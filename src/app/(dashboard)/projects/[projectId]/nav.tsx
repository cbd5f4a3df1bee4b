"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";

/** The project's sections, in the order they appear in the navigation. */
const sections = [
  { path: "", label: "Hooks" },
  { path: "/deliveries", label: "Deliveries" },
  { path: "/events", label: "Events" },
  { path: "/inspector", label: "Inspector" },
  { path: "/api-keys", label: "API keys" },
  { path: "/portal", label: "Customer portal" },
  { path: "/members", label: "Members" },
] as const;

/** Pages that belong to the Hooks section without sitting under its path (a hook, a listener). */
const HOOKS_SUBPAGES = ["/hooks/", "/listeners/"];

export function ProjectNav({ projectId }: { projectId: string }) {
  const pathname = usePathname();
  const base = `/projects/${projectId}`;
  return (
    // On a phone the sections wrap onto a second line rather than scroll out of sight.
    <nav aria-label="Project" className="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
      {sections.map(({ path, label }) => {
        const href = base + path;
        const active =
          path === ""
            ? pathname === base || HOOKS_SUBPAGES.some((subpage) => pathname.startsWith(base + subpage))
            : pathname.startsWith(href);
        return (
          <Link
            key={label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={clsx(
              "rounded-md px-3 py-2 text-sm whitespace-nowrap",
              active ? "bg-brand-100 font-medium text-brand-700" : "text-zinc-700 hover:bg-zinc-100",
            )}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
