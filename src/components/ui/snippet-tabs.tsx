"use client";

import { Tabs } from "radix-ui";
import { CodeBlock } from "./code-block";

export interface Snippet {
  id: string;
  /** Tab label, e.g. "SDK" or "curl". */
  label: string;
  code: string;
  /** Names the snippet for the copy button and screen readers. */
  description: string;
}

/** The same task shown several ways (SDK, curl), one tab each. */
export function SnippetTabs({ snippets, label }: { snippets: Snippet[]; label: string }) {
  const first = snippets[0];
  if (!first) return null;
  return (
    <Tabs.Root defaultValue={first.id} className="min-w-0">
      <Tabs.List aria-label={label} className="mb-2 flex gap-1">
        {snippets.map((snippet) => (
          <Tabs.Trigger
            key={snippet.id}
            value={snippet.id}
            className="rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 data-[state=active]:bg-brand-100 data-[state=active]:font-medium data-[state=active]:text-brand-700"
          >
            {snippet.label}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {snippets.map((snippet) => (
        <Tabs.Content key={snippet.id} value={snippet.id} className="text-left">
          <CodeBlock code={snippet.code} label={snippet.description} />
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
