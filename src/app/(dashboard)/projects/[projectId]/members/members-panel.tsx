"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Field } from "@/components/ui/field";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { useTRPC } from "@/trpc/react";

const addMemberSchema = z.object({ email: z.email("Enter an email address") });

export function MembersPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.project.members.queryOptions({ projectId }));
  const form = useForm<z.infer<typeof addMemberSchema>>({
    resolver: zodResolver(addMemberSchema),
    defaultValues: { email: "" },
  });
  const addMember = useMutation(
    trpc.project.addMember.mutationOptions({
      onSuccess: async () => {
        form.reset();
        await queryClient.invalidateQueries(trpc.project.members.queryFilter({ projectId }));
      },
      onError: (error) => {
        const fieldError = error.data?.fieldErrors?.find((e) => e.path === "email");
        form.setError("email", { message: fieldError?.message ?? error.message });
      },
    }),
  );

  return (
    <div className="space-y-6">
      <section aria-labelledby="members-heading" className="rounded-lg border border-zinc-200 bg-white">
        <h2 id="members-heading" className="sr-only">
          Current members
        </h2>
        {members.isPending && <LoadingRows label="Loading members…" rows={2} rowClassName="h-8" />}
        {members.isError && (
          <div className="p-4">
            <QueryError what="members" error={members.error} onRetry={() => members.refetch()} />
          </div>
        )}
        {members.data && (
          <ul className="divide-y divide-zinc-200">
            {members.data.map((member) => (
              <li key={member.id} className="flex items-center justify-between gap-2 px-4 py-3 text-sm">
                <span className="min-w-0">
                  <span className="font-medium">{member.name}</span>{" "}
                  <span className="break-all text-zinc-600">{member.email}</span>
                </span>
                <Badge tone={member.role === "owner" ? "info" : "neutral"}>{member.role}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => addMember.mutate({ projectId, email: values.email }))}
        className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 sm:flex-row sm:items-start"
      >
        <Field
          className="flex-1"
          label="Add a member by email"
          type="email"
          hint="They need a Durian account already."
          error={form.formState.errors.email?.message}
          {...form.register("email")}
        />
        <Button type="submit" busy={addMember.isPending} className="sm:mt-6">
          Add member
        </Button>
      </form>
    </div>
  );
}
