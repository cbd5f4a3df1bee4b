"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

/**
 * Shown while a listener receives an earlier version of its hook's fields than the latest: moving it
 * is explicit, since its receiver gets the new shape from then on. Its filter must fit the new fields.
 */
export function VersionPanel({
  projectId,
  listener,
  latestVersion,
}: {
  projectId: string;
  listener: { id: string; hook: string; hookVersion: number };
  latestVersion: number;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const move = useMutation(
    trpc.listener.update.mutationOptions({
      onSuccess: async () => {
        setProblem(null);
        await queryClient.invalidateQueries(trpc.listener.pathFilter());
        await queryClient.invalidateQueries(trpc.hook.pathFilter());
        router.refresh();
      },
      onError: (error) => {
        const fieldErrors = error.data?.fieldErrors ?? [];
        setProblem(
          fieldErrors.length > 0
            ? `${fieldErrors.map((fieldError) => `${fieldError.path}: ${fieldError.message}`).join("; ")}. Edit the filter first.`
            : error.message,
        );
      },
    }),
  );
  if (listener.hookVersion >= latestVersion) return null;
  return (
    <section
      aria-label="Hook version"
      className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <p>
        This listener receives version {listener.hookVersion} of{" "}
        <span className="font-mono">{listener.hook}</span>&apos;s fields; the latest is version{" "}
        {latestVersion}. Events sent for version {latestVersion} do not reach it until it is moved.
      </p>
      <Button
        variant="secondary"
        busy={move.isPending}
        onClick={() => move.mutate({ projectId, id: listener.id, hookVersion: latestVersion })}
      >
        Move to version {latestVersion}
      </Button>
      <FormError message={problem} />
    </section>
  );
}
