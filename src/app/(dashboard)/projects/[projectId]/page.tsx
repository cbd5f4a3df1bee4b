import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Hooks" };

export default async function HooksPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Hooks</h1>
      <EmptyState title="No hooks yet">
        <p>
          A hook is a named event your app sends, with the payload fields listeners may see. Register one
          from your app with the SDK, or with curl against the REST API.
        </p>
      </EmptyState>
    </div>
  );
}
