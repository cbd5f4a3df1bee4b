"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/form-controls";

const hookFilterSchema = z.object({ hook: z.string() });

export function EventHookFilter({
  hook,
  hooks,
  serverError,
}: {
  hook?: string;
  hooks: string[];
  serverError: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();
  const form = useForm<z.infer<typeof hookFilterSchema>>({
    resolver: zodResolver(hookFilterSchema),
    defaultValues: { hook: hook ?? "" },
  });
  return (
    <form
      noValidate
      aria-label="Filter events"
      onSubmit={form.handleSubmit(({ hook: chosen }) =>
        startNavigation(() =>
          router.push(chosen ? `${pathname}?hook=${encodeURIComponent(chosen)}` : pathname),
        ),
      )}
      className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 sm:flex-row sm:items-start"
    >
      <SelectField
        className="sm:w-72"
        label="Hook"
        error={serverError ?? undefined}
        {...form.register("hook")}
      >
        <option value="">All hooks</option>
        {hook && !hooks.includes(hook) && <option value={hook}>{hook}</option>}
        {hooks.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </SelectField>
      <Button type="submit" busy={navigating} className="sm:mt-6">
        Show events
      </Button>
    </form>
  );
}
