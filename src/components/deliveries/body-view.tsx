import { CopyButton } from "@/components/ui/copy-button";
import { prettyBody } from "./format";

/** A request or response body, JSON pretty-printed, in a scrollable block with a copy button. */
export function BodyView({ body, label, note }: { body: string | null; label: string; note?: string }) {
  if (body === null || body === "") {
    return <p className="text-sm text-zinc-600">No body.</p>;
  }
  const { text, json } = prettyBody(body);
  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-zinc-600">
          {json ? "JSON" : "Text"}
          {note ? ` · ${note}` : ""}
        </span>
        <CopyButton text={body} label="Copy" aria-label={`Copy ${label}`} className="min-h-8 py-1 text-xs" />
      </div>
      <pre
        tabIndex={0}
        aria-label={label}
        className="max-h-96 overflow-auto rounded-md border border-zinc-200 bg-zinc-900 p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-zinc-100"
      >
        <code>{text}</code>
      </pre>
    </div>
  );
}
