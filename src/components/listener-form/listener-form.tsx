"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useFieldArray, useForm, useWatch, type FieldPath } from "react-hook-form";
import { FILTER_OPERATORS, type OperatorName } from "@/core/filter";
import {
  type ConfigOption,
  describeFieldType,
  type HookField,
  type ListenerConfig,
} from "@/core/hook-fields";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { CheckboxField, InputControl, SelectField, TextareaField } from "@/components/ui/form-controls";
import { useDebouncedValue } from "@/components/use-debounced-value";
import { useTRPC } from "@/trpc/react";
import {
  emptyRows,
  filterToRows,
  NO_CONDITION,
  operatorsForField,
  takesValue,
  valueInputFor,
} from "./filter-rows";
import { FilterValueInput } from "./filter-value-input";
import {
  filterFromForm,
  formFieldOfApiPath,
  listenerFormSchema,
  toListenerInput,
  urlSyntaxProblem,
  type ListenerFormValues,
} from "./form-schema";
import { FilterPreview } from "./filter-preview";
import { ConfigOptions } from "./config-options";
import { initialConfigInputs } from "./config-values";
import { filterForFields, type HookVersionChoice, versionLabel } from "./version-choice";

/** The server's destination check runs once the URL has stopped changing for this long. */
const URL_CHECK_DELAY_MS = 300;

const OPERATOR_DESCRIPTIONS = new Map(
  FILTER_OPERATORS.map(({ operator, description }) => [operator, description]),
);

export interface EditedListener {
  id: string;
  name: string | null;
  url: string;
  filter: Record<string, unknown>;
  description: string;
  headers: Record<string, string>;
  envelope: boolean;
  selfHealing: boolean;
  config: ListenerConfig;
}

function initialValues(
  fields: readonly HookField[],
  configForm: readonly ConfigOption[],
  listener?: EditedListener,
): ListenerFormValues {
  if (!listener) {
    return {
      filterMode: "fields",
      rows: emptyRows(fields),
      filterJson: "",
      name: "",
      url: "",
      description: "",
      headers: [],
      envelope: false,
      selfHealing: false,
      config: initialConfigInputs(configForm),
    };
  }
  const rows = filterToRows(listener.filter, fields);
  return {
    filterMode: rows ? "fields" : "json",
    rows: rows ?? emptyRows(fields),
    filterJson: rows ? "" : JSON.stringify(listener.filter, null, 2),
    name: listener.name ?? "",
    url: listener.url,
    description: listener.description,
    headers: Object.entries(listener.headers).map(([name, value]) => ({ name, value })),
    envelope: listener.envelope,
    selfHealing: listener.selfHealing,
    config: initialConfigInputs(configForm, listener.config),
  };
}

/**
 * Create or edit a listener. The filter part is generated from the hook's providesArgs: one row per
 * field with a condition from the operators that can match its type, and a value in an input of
 * that type. Checks run as the user types, with
 * the API's rules; errors the API still returns land next to the field they concern.
 */
export function ListenerForm({
  projectId,
  hook,
  listener,
  versions,
  inspectorUrl,
  savedHref = (listenerId) => `/projects/${projectId}/listeners/${listenerId}`,
}: {
  projectId: string;
  /** `fields`: those of the version the listener receives. */
  hook: { name: string; fields: HookField[]; configForm: ConfigOption[] };
  /** Given when editing. */
  listener?: EditedListener;
  /**
   * Given when creating: the hook's versions, latest first. With more than one, the form offers them,
   * is generated from the chosen one's fields and creates the listener on it.
   */
  versions?: readonly HookVersionChoice[];
  /** This project's request inspector, offered as a URL to start with. */
  inspectorUrl?: string;
  /** Where a saved listener is shown (the customer portal has its own pages). */
  savedHref?: (listenerId: string) => string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [modeProblem, setModeProblem] = useState<string | null>(null);
  const latestVersion = versions?.[0]?.version;
  const [hookVersion, setHookVersion] = useState(latestVersion);
  const fields = versions?.find((choice) => choice.version === hookVersion)?.fields ?? hook.fields;
  const schema = useMemo(() => listenerFormSchema(fields, hook.configForm), [fields, hook.configForm]);
  const fieldsByName = useMemo(() => new Map(fields.map((field) => [field.name, field])), [fields]);
  const form = useForm<ListenerFormValues>({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: initialValues(fields, hook.configForm, listener),
  });
  const { register, control, formState, setValue, getValues, setError, trigger } = form;
  const { errors } = formState;
  const rows = useFieldArray({ control, name: "rows" });
  const headers = useFieldArray({ control, name: "headers" });
  const watched = useWatch({ control }) as ListenerFormValues;
  const filter = filterFromForm(watched, fields);

  // The filter carried over to a newly chosen version is checked once the form renders with its rules.
  const checkedVersion = useRef(hookVersion);
  useEffect(() => {
    if (checkedVersion.current === hookVersion) return;
    checkedVersion.current = hookVersion;
    void trigger(["rows", "filterJson"]);
  }, [hookVersion, trigger]);

  // The destination rules that depend on the server's settings (blocked addresses, allowed hosts).
  const url = (watched.url ?? "").trim();
  const debouncedUrl = useDebouncedValue(url, URL_CHECK_DELAY_MS);
  const urlCheck = useQuery({
    ...trpc.listener.checkUrl.queryOptions({ projectId, url: debouncedUrl }),
    enabled: debouncedUrl !== "" && urlSyntaxProblem(debouncedUrl) === null,
  });
  const serverUrlProblem = urlCheck.data && debouncedUrl === url ? urlCheck.data.problem : null;

  function showApiError(error: {
    message: string;
    data?: { fieldErrors?: { path: string; message: string }[] | null } | null;
  }) {
    const values = getValues();
    const unplaced: string[] = [];
    let focused = false;
    for (const fieldError of error.data?.fieldErrors ?? []) {
      const name = formFieldOfApiPath(values, fieldError.path, hook.configForm);
      if (name) {
        setError(
          name as FieldPath<ListenerFormValues>,
          { message: fieldError.message },
          { shouldFocus: !focused },
        );
        focused = true;
      } else unplaced.push(`${fieldError.path}: ${fieldError.message}`);
    }
    if (!error.data?.fieldErrors?.length) setFormError(error.message);
    else if (unplaced.length > 0) setFormError(unplaced.join("; "));
  }

  async function saved(listenerId: string) {
    await queryClient.invalidateQueries(trpc.listener.pathFilter());
    await queryClient.invalidateQueries(trpc.hook.pathFilter());
    router.push(savedHref(listenerId));
    router.refresh();
  }

  const create = useMutation(
    trpc.listener.create.mutationOptions({
      onSuccess: (created) => saved(created.id),
      onError: showApiError,
    }),
  );
  const update = useMutation(
    trpc.listener.update.mutationOptions({
      onSuccess: (updated) => saved(updated.id),
      onError: showApiError,
    }),
  );
  const saving = create.isPending || update.isPending;

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    const input = toListenerInput(values, { fields, configForm: hook.configForm });
    if (!input) return;
    if (listener) update.mutate({ projectId, id: listener.id, ...input });
    else create.mutate({ projectId, hook: hook.name, hookVersion, ...input });
  });

  function chooseVersion(version: number) {
    const chosen = versions?.find((choice) => choice.version === version);
    if (!chosen) return;
    const carried = filterForFields(getValues(), fields, chosen.fields);
    setValue("filterMode", carried.filterMode);
    setValue("rows", carried.rows);
    setValue("filterJson", carried.filterJson);
    setModeProblem(null);
    setHookVersion(version);
  }

  function switchToJson() {
    const current = filterFromForm(getValues(), fields);
    setValue("filterJson", JSON.stringify(current.ok ? current.filter : {}, null, 2));
    setValue("filterMode", "json", { shouldValidate: true });
    setModeProblem(null);
  }

  function switchToFields() {
    const current = filterFromForm(getValues(), fields);
    const back = current.ok ? filterToRows(current.filter, fields) : null;
    if (!back) {
      setModeProblem(
        current.ok
          ? "This filter says more than the field rows can show (nested or dotted fields, several conditions on one field, a value not of the field's type): keep editing it as JSON."
          : "Fix the JSON first.",
      );
      return;
    }
    setValue("rows", back);
    setValue("filterMode", "fields", { shouldValidate: true });
    setModeProblem(null);
  }

  const filterMode = watched.filterMode;

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-6">
      <fieldset className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Which events</legend>
        {versions && versions.length > 1 && latestVersion !== undefined && (
          <SelectField
            label="Version of the fields"
            hint="The listener receives events sent for this version, in its shape; choose an earlier one for a receiver that still expects it."
            value={hookVersion}
            onChange={(event) => chooseVersion(Number(event.target.value))}
          >
            {versions.map((choice) => (
              <option key={choice.version} value={choice.version}>
                {versionLabel(choice.version, latestVersion)}
              </option>
            ))}
          </SelectField>
        )}
        <div className="flex flex-wrap items-start justify-between gap-2">
          <p className="max-w-xl text-sm text-zinc-700">
            One row per field of <code className="font-mono">{hook.name}</code>. Every condition must hold;
            fields left at “any” match whatever the event sends.
          </p>
          {filterMode === "fields" ? (
            <Button type="button" variant="ghost" onClick={switchToJson}>
              Edit as JSON
            </Button>
          ) : (
            fields.length > 0 && (
              <Button type="button" variant="ghost" onClick={switchToFields}>
                Edit as fields
              </Button>
            )
          )}
        </div>
        {modeProblem && (
          <p role="status" className="text-sm text-amber-900">
            {modeProblem}
          </p>
        )}

        {filterMode === "fields" && fields.length === 0 && (
          <p className="text-sm text-zinc-700">
            This hook provides no fields, so the listener receives every event.
          </p>
        )}

        {filterMode === "fields" && fields.length > 0 && (
          <div className="space-y-3 md:space-y-2">
            <div
              aria-hidden
              className="hidden gap-3 text-xs font-medium text-zinc-600 uppercase md:grid md:grid-cols-[10rem_11rem_1fr]"
            >
              <span>Field</span>
              <span>Condition</span>
              <span>Value</span>
            </div>
            {rows.fields.map((row, index) => {
              const operator = (watched.rows?.[index]?.operator ?? NO_CONDITION) as OperatorName;
              const field = fieldsByName.get(row.field);
              const fieldSchema = field?.schema ?? {};
              const typed = field !== undefined && Object.keys(fieldSchema).length > 0;
              const rowLabelId = `filter-row-${index}`;
              const valueError = errors.rows?.[index]?.value?.message;
              return (
                <div
                  key={row.id}
                  role="group"
                  aria-labelledby={rowLabelId}
                  data-testid={`filter-row-${row.field}`}
                  className="grid gap-2 border-b border-zinc-100 pb-3 last:border-0 md:grid-cols-[10rem_11rem_1fr] md:items-start md:gap-3 md:border-0 md:pb-0"
                >
                  <span id={rowLabelId} className="pt-2 text-sm text-zinc-900">
                    <span className="font-mono font-medium break-all">{row.field}</span>
                    {typed && (
                      <span className="block text-xs text-zinc-600">{describeFieldType(fieldSchema)}</span>
                    )}
                  </span>
                  <SelectField
                    label={`Condition on ${row.field}`}
                    hideLabel
                    {...register(`rows.${index}.operator`, { deps: [`rows.${index}.value`] })}
                  >
                    {operatorsForField(field).map((option) => (
                      <option key={option.operator} value={option.operator}>
                        {option.label}
                      </option>
                    ))}
                  </SelectField>
                  <FilterValueInput
                    input={valueInputFor(operator, fieldSchema)}
                    field={row.field}
                    schema={fieldSchema}
                    value={watched.rows?.[index]?.value ?? ""}
                    registration={register(`rows.${index}.value`)}
                    onChange={(value) => setValue(`rows.${index}.value`, value, { shouldValidate: true })}
                    error={valueError}
                    hint={takesValue(operator) ? OPERATOR_DESCRIPTIONS.get(operator) : undefined}
                  />
                </div>
              );
            })}
          </div>
        )}

        {filterMode === "json" && (
          <TextareaField
            label="Filter (JSON)"
            rows={8}
            spellCheck={false}
            error={errors.filterJson?.message}
            hint={
              <>
                Keys are fields (dotted keys reach into objects); values are a value, or conditions such as{" "}
                <code className="font-mono">{'{"$startswith": "J"}'}</code>.
              </>
            }
            {...register("filterJson")}
          />
        )}
        {filterMode === "fields" && errors.filterJson?.message && (
          <FormError message={errors.filterJson.message} />
        )}

        <FilterPreview projectId={projectId} hookName={hook.name} fields={fields} filter={filter} />
      </fieldset>

      <ConfigOptions options={hook.configForm} register={register} errors={errors} />

      <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
        <legend className="px-1 text-base font-semibold">Where to deliver</legend>
        <Field
          label="Name (optional)"
          autoComplete="off"
          placeholder="e.g. CRM sync"
          hint="Heads the listener's page and labels its deliveries; without one, its URL does."
          error={errors.name?.message}
          {...register("name")}
        />
        <Field
          label="URL"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com/webhooks/durian"
          error={errors.url?.message ?? serverUrlProblem ?? undefined}
          hint={
            <>
              Durian POSTs each matching event here, signed (Standard Webhooks).
              {inspectorUrl && !listener && (
                <>
                  {" "}
                  No receiver yet?{" "}
                  <button
                    type="button"
                    className="font-medium text-brand-700 underline underline-offset-2"
                    onClick={() => setValue("url", inspectorUrl, { shouldValidate: true, shouldDirty: true })}
                  >
                    Use this project&apos;s request inspector
                  </button>
                  .
                </>
              )}
            </>
          }
          {...register("url")}
        />
        <TextareaField
          label="Description (optional)"
          rows={2}
          className="[&_textarea]:font-sans"
          error={errors.description?.message}
          {...register("description")}
        />

        <div className="space-y-2">
          <h3 id="headers-heading" className="text-sm font-medium text-zinc-800">
            Custom headers (optional)
          </h3>
          <p className="text-xs text-zinc-600">
            Sent with every delivery, e.g. an Authorization header your receiver expects.
          </p>
          {headers.fields.map((header, index) => (
            <div
              key={header.id}
              role="group"
              aria-label={`Header ${index + 1}`}
              className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-start"
            >
              <InputControl
                label={`Header ${index + 1} name`}
                hideLabel
                placeholder="Name"
                spellCheck={false}
                error={errors.headers?.[index]?.name?.message}
                {...register(`headers.${index}.name`)}
              />
              <InputControl
                label={`Header ${index + 1} value`}
                hideLabel
                placeholder="Value"
                spellCheck={false}
                error={errors.headers?.[index]?.value?.message}
                {...register(`headers.${index}.value`)}
              />
              <Button
                type="button"
                variant="ghost"
                aria-label={`Remove header ${index + 1}`}
                onClick={() => headers.remove(index)}
              >
                <Trash2 aria-hidden className="size-4" />
              </Button>
            </div>
          ))}
          {errors.headers?.message && <p className="text-sm text-red-700">{errors.headers.message}</p>}
          <Button type="button" variant="secondary" onClick={() => headers.append({ name: "", value: "" })}>
            <Plus aria-hidden className="size-4" />
            Add a header
          </Button>
        </div>

        <CheckboxField
          label="Wrap the payload in an envelope"
          hint={
            <>
              Delivers{" "}
              <code className="font-mono">{`{"type": "${hook.name}", "version": …, "timestamp": …, "data": {…}}`}</code>{" "}
              instead of the bare payload.
            </>
          }
          {...register("envelope")}
        />

        <CheckboxField
          label="Self-healing"
          hint="When failures disable it, Durian pings it with a signed request, less and less often, and enables it again after 3 answered pings in a row, retrying its failed deliveries."
          {...register("selfHealing")}
        />
      </fieldset>

      <FormError message={formError} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={saving}>
          {listener ? "Save changes" : "Create listener"}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
