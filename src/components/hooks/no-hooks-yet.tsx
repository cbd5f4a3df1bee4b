import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { SnippetTabs } from "@/components/ui/snippet-tabs";
import { registerHookSnippets } from "./snippets";

/** The example hook the empty state teaches with (durian's own example). */
const EXAMPLE_HOOK = { name: "person", providesArgs: ["name", "address"] } as const;

/** No hooks yet: what a hook is, and how to register one from an app, with this Durian's URL. */
export function NoHooksYet({ projectId, apiOrigin }: { projectId: string; apiOrigin: string }) {
  return (
    <EmptyState title="No hooks yet">
      <p>
        A hook is a named event your app sends, with the payload fields listeners may see. Register one from
        your app with the SDK, or with curl against the REST API.
      </p>
      <ol className="mt-4 space-y-3 text-left">
        <li>
          <span className="font-medium">1. </span>
          <Link
            href={`/projects/${projectId}/api-keys`}
            className="font-medium text-brand-700 underline underline-offset-2"
          >
            Create an API key
          </Link>{" "}
          and export it as <code className="rounded bg-zinc-100 px-1 font-mono text-xs">DURIAN_API_KEY</code>.
        </li>
        <li>
          <span className="font-medium">2. </span>Register a hook:
          <div className="mt-2">
            <SnippetTabs
              label="Ways to register a hook"
              snippets={registerHookSnippets(apiOrigin, EXAMPLE_HOOK.name, EXAMPLE_HOOK.providesArgs)}
            />
          </div>
        </li>
        <li>
          <span className="font-medium">3. </span>The hook appears here as soon as it is registered, and you
          can add listeners to it.
        </li>
      </ol>
    </EmptyState>
  );
}
