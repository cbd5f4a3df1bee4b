"use client";

import { Button } from "./button";

/** A failed load, with its message and a way to try again. */
export function QueryError({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: { message: string };
  onRetry?: () => void;
}) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
    >
      <span>
        Could not load {what}: {error.message}
      </span>
      {onRetry && (
        <Button variant="secondary" onClick={onRetry} className="min-h-8 py-1 text-xs">
          Try again
        </Button>
      )}
    </div>
  );
}
