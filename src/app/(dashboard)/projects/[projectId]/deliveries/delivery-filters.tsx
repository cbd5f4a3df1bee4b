"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { InputControl, SelectField } from "@/components/ui/form-controls";
import type { FieldError } from "@/server/services/errors";
import { DELIVERY_STATUSES } from "@/contracts/events";
import { filterFieldOf, type LogFilters, searchParamsFromFilters } from "./log-filters";

const localDateTime = z
  .string()
  .refine((value) => value === "" || !Number.isNaN(new Date(value).getTime()), "Enter a date and time");

const filterFormSchema = z
  .object({
    status: z.union([z.enum(DELIVERY_STATUSES), z.literal("")]),
    hook: z.string(),
    listenerId: z.string(),
    since: localDateTime,
    until: localDateTime,
  })
  .refine((form) => !form.since || !form.until || new Date(form.since) < new Date(form.until), {
    path: ["until"],
    message: "Must be after “From”",
  });

type FilterForm = z.infer<typeof filterFormSchema>;

/** `datetime-local` value (the reader's zone) for an ISO timestamp, or "" when it does not parse. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function formValues(filters: LogFilters, inBrowser: boolean): FilterForm {
  return {
    status:
      filters.status && (DELIVERY_STATUSES as readonly string[]).includes(filters.status)
        ? filters.status
        : "",
    hook: filters.hook ?? "",
    listenerId: filters.listenerId ?? "",
    // Local times need the reader's zone, known only in the browser (see the effect below).
    since: inBrowser ? toLocalInput(filters.since) : "",
    until: inBrowser ? toLocalInput(filters.until) : "",
  };
}

export function DeliveryFilters({
  filters,
  hooks,
  listeners,
  serverErrors,
}: {
  filters: LogFilters;
  hooks: { id: string; name: string }[];
  listeners: { id: string; name: string | null; url: string; hook: string; description: string }[];
  /** Problems the server found with the filters in the URL, shown next to their fields. */
  serverErrors: FieldError[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();
  const form = useForm<FilterForm>({
    resolver: zodResolver(filterFormSchema),
    defaultValues: formValues(filters, false),
  });
  useEffect(() => {
    form.reset(formValues(filters, true));
  }, [filters, form]);

  const errorFor = (field: keyof FilterForm) =>
    form.formState.errors[field]?.message ??
    serverErrors.find((error) => filterFieldOf(error.path) === field)?.message;

  function apply(values: FilterForm) {
    const params = searchParamsFromFilters({
      status: values.status || undefined,
      hook: values.hook || undefined,
      listenerId: values.listenerId || undefined,
      since: values.since ? new Date(values.since).toISOString() : undefined,
      until: values.until ? new Date(values.until).toISOString() : undefined,
    });
    const query = params.toString();
    startNavigation(() => router.push(query ? `${pathname}?${query}` : pathname));
  }

  function clear() {
    form.reset({ status: "", hook: "", listenerId: "", since: "", until: "" });
    startNavigation(() => router.push(pathname));
  }

  const knownListener = listeners.some((listener) => listener.id === filters.listenerId);
  const knownHook = hooks.some((hook) => hook.name === filters.hook);

  return (
    <form
      noValidate
      aria-label="Filter deliveries"
      onSubmit={form.handleSubmit(apply)}
      className="grid grid-cols-1 gap-3 rounded-lg border border-zinc-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3"
    >
      <SelectField label="Status" error={errorFor("status")} {...form.register("status")}>
        <option value="">All statuses</option>
        {DELIVERY_STATUSES.map((status) => (
          <option key={status} value={status}>
            {status[0]!.toUpperCase() + status.slice(1)}
          </option>
        ))}
      </SelectField>
      <SelectField label="Hook" error={errorFor("hook")} {...form.register("hook")}>
        <option value="">All hooks</option>
        {filters.hook && !knownHook && <option value={filters.hook}>{filters.hook}</option>}
        {hooks.map((hook) => (
          <option key={hook.id} value={hook.name}>
            {hook.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Listener" error={errorFor("listenerId")} {...form.register("listenerId")}>
        <option value="">All listeners</option>
        {filters.listenerId && !knownListener && (
          <option value={filters.listenerId}>Listener {filters.listenerId}</option>
        )}
        {listeners.map((listener) => (
          <option key={listener.id} value={listener.id}>
            {listener.hook} → {listener.name ?? (listener.description || listener.url)}
          </option>
        ))}
      </SelectField>
      <InputControl
        label="From"
        type="datetime-local"
        error={errorFor("since")}
        {...form.register("since")}
      />
      <InputControl
        label="Until"
        type="datetime-local"
        error={errorFor("until")}
        {...form.register("until")}
      />
      <div className="flex items-end gap-2">
        <Button type="submit" busy={navigating}>
          Apply filters
        </Button>
        <Button type="button" variant="secondary" onClick={clear}>
          Clear
        </Button>
      </div>
    </form>
  );
}
