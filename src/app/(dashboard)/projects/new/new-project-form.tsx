"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

const schema = z.object({ name: z.string().trim().min(1, "A project needs a name").max(80) });

export function NewProjectForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<z.infer<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { name: "" },
  });
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: (project) => router.push(`/projects/${project.id}`),
      onError: (error) => form.setError("name", { message: error.message }),
    }),
  );
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((values) => create.mutate(values))}
      className="mt-6 space-y-4"
    >
      <Field label="Project name" error={form.formState.errors.name?.message} {...form.register("name")} />
      <Button type="submit" busy={create.isPending}>
        Create project
      </Button>
    </form>
  );
}
