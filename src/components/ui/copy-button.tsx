"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { Button, type ButtonProps } from "./button";

/** How long the button says "Copied" before it offers to copy again. */
const COPIED_FEEDBACK_MS = 2000;

/** Copies `text` to the clipboard and announces it to screen readers. */
export function CopyButton({
  text,
  label = "Copy",
  variant = "secondary",
  ...props
}: { text: string; label?: string } & Omit<ButtonProps, "onClick" | "children">) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), COPIED_FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <Button type="button" variant={variant} onClick={copy} {...props}>
      {state === "copied" ? (
        <Check aria-hidden className="size-4" />
      ) : (
        <Copy aria-hidden className="size-4" />
      )}
      {/* The label keeps its width so the button does not jump when it changes. */}
      <span className="inline-grid">
        <span className="col-start-1 row-start-1" aria-hidden={state !== "idle"}>
          <span className={state === "idle" ? "" : "invisible"}>{label}</span>
        </span>
        <span className={`col-start-1 row-start-1 ${state === "idle" ? "invisible" : ""}`} aria-live="polite">
          {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : ""}
        </span>
      </span>
    </Button>
  );
}
