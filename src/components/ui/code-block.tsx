import { clsx } from "clsx";
import { CopyButton } from "./copy-button";

/** A block of code (a snippet to paste, a payload) with a copy button. */
export function CodeBlock({
  code,
  label,
  className,
}: {
  code: string;
  /** Names the block for the copy button ("Copy curl command"). */
  label: string;
  className?: string;
}) {
  return (
    <div className={clsx("relative rounded-md border border-zinc-200 bg-zinc-900", className)}>
      <pre
        tabIndex={0}
        aria-label={label}
        className="overflow-x-auto p-3 pr-24 font-mono text-xs leading-relaxed text-zinc-100"
      >
        <code>{code}</code>
      </pre>
      <CopyButton
        text={code}
        aria-label={`Copy ${label}`}
        className="absolute top-2 right-2 min-h-8 py-1 text-xs"
      />
    </div>
  );
}
