"use client";

import { Button } from "@/components/ui/button";

/** What a dashboard page shows when loading it failed: the reason and a way to try again. */
export function RouteError({ title, error, reset }: { title: string; error: Error; reset: () => void }) {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{title}</h1>
      <div
        role="alert"
        className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900"
      >
        <p className="font-medium">This page could not be loaded.</p>
        <p>{error.message || "Something went wrong on the server."}</p>
        <Button type="button" variant="secondary" onClick={reset}>
          Try again
        </Button>
      </div>
    </div>
  );
}
