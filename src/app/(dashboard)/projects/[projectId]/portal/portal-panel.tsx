"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormError } from "@/components/ui/field";
import { TextareaField } from "@/components/ui/form-controls";
import { QueryError } from "@/components/ui/query-error";
import { LoadingRows } from "@/components/ui/skeleton";
import { TimeAgo } from "@/components/ui/time-ago";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Settings = RouterOutputs["portal"]["settings"];
type PortalLink = RouterOutputs["portal"]["links"]["items"][number];
type FieldErrors = Record<string, string>;

function fieldErrorsOf(error: {
  data?: { fieldErrors?: { path: string; message: string }[] | null } | null;
}) {
  return Object.fromEntries(
    (error.data?.fieldErrors ?? []).map((fieldError) => [fieldError.path, fieldError.message]),
  );
}

export function PortalPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const settings = useQuery(trpc.portal.settings.queryOptions({ projectId }));
  return (
    <div className="space-y-6">
      {settings.isPending && (
        <LoadingRows label="Loading the portal's settings…" rows={3} rowClassName="h-10" />
      )}
      {settings.isError && (
        <QueryError what="the portal's settings" error={settings.error} onRetry={() => settings.refetch()} />
      )}
      {settings.data && <SettingsForm projectId={projectId} initial={settings.data} />}
      <LinksCard projectId={projectId} />
    </div>
  );
}

function SettingsForm({ projectId, initial }: { projectId: string; initial: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [origins, setOrigins] = useState(initial.allowedOrigins.join("\n"));
  const [name, setName] = useState(initial.theme.name ?? "");
  const [logoUrl, setLogoUrl] = useState(initial.theme.logoUrl ?? "");
  const [primaryColor, setPrimaryColor] = useState(initial.theme.primaryColor ?? "");
  const [backgroundColor, setBackgroundColor] = useState(initial.theme.backgroundColor ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.portal.putSettings.mutationOptions({
      onSuccess: async (settings) => {
        setErrors({});
        setSaved(true);
        queryClient.setQueryData(trpc.portal.settings.queryKey({ projectId }), settings);
      },
      onError: (error) => {
        setSaved(false);
        const fieldErrors = fieldErrorsOf(error);
        setErrors(Object.keys(fieldErrors).length > 0 ? fieldErrors : { "": error.message });
      },
    }),
  );
  const allowedOrigins = origins
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const originErrors = Object.entries(errors)
    .filter(([path]) => path.startsWith("allowedOrigins"))
    .map(([path, message]) => {
      const index = Number(path.split(".")[1]);
      return Number.isInteger(index) ? `${allowedOrigins[index]}: ${message}` : message;
    });
  const optional = (value: string) => value.trim() || undefined;

  return (
    <Card title="Embedding and look" titleId="portal-settings-heading">
      <form
        noValidate
        className="space-y-4 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          save.mutate({
            projectId,
            allowedOrigins,
            theme: {
              name: optional(name),
              logoUrl: optional(logoUrl),
              primaryColor: optional(primaryColor),
              backgroundColor: optional(backgroundColor),
            },
          });
        }}
      >
        <TextareaField
          label="Origins that may embed the portal"
          rows={3}
          spellCheck={false}
          placeholder="https://app.example.com"
          hint="One per line, exactly scheme://host[:port]. Only pages on these origins may show it in an iframe; with none, no page may."
          error={originErrors.length > 0 ? originErrors.join("; ") : undefined}
          value={origins}
          onChange={(event) => setOrigins(event.target.value)}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Name"
            placeholder="Default: the project's name"
            error={errors["theme.name"]}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <Field
            label="Logo URL"
            type="url"
            placeholder="https://app.example.com/logo.svg"
            error={errors["theme.logoUrl"]}
            value={logoUrl}
            onChange={(event) => setLogoUrl(event.target.value)}
          />
          <Field
            label="Primary colour"
            placeholder="#536412"
            hint="Buttons and links, as #rrggbb."
            error={errors["theme.primaryColor"]}
            value={primaryColor}
            onChange={(event) => setPrimaryColor(event.target.value)}
          />
          <Field
            label="Background colour"
            placeholder="#fafafa"
            hint="As #rrggbb."
            error={errors["theme.backgroundColor"]}
            value={backgroundColor}
            onChange={(event) => setBackgroundColor(event.target.value)}
          />
        </div>
        <FormError message={errors[""]} />
        <div className="flex items-center gap-3">
          <Button type="submit" busy={save.isPending}>
            Save
          </Button>
          {saved && (
            <p role="status" className="text-sm text-zinc-700">
              Saved.
            </p>
          )}
        </div>
      </form>
    </Card>
  );
}

function LinksCard({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const links = useQuery({ ...trpc.portal.links.queryOptions({ projectId }), staleTime: 0 });
  const [customer, setCustomer] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.portal.links.queryFilter({ projectId }));
  const create = useMutation(
    trpc.portal.createLink.mutationOptions({
      onSuccess: async (link) => {
        setError(null);
        setCreated(link.url);
        await refresh();
      },
      onError: (createError) => setError(fieldErrorsOf(createError).customer ?? createError.message),
    }),
  );

  return (
    <Card title="Links" titleId="portal-links-heading">
      <form
        noValidate
        className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ projectId, customer });
        }}
      >
        <Field
          className="flex-1"
          label="Customer"
          placeholder="e.g. cus_42"
          hint="Your app's id for the customer. Links from your server work the same; this one lasts an hour."
          error={error ?? undefined}
          value={customer}
          onChange={(event) => setCustomer(event.target.value)}
        />
        <Button type="submit" busy={create.isPending} className="sm:mt-6">
          Create a link
        </Button>
      </form>
      {created && (
        <div className="flex flex-wrap items-center gap-2 px-4 pb-4 text-sm">
          <code
            data-testid="new-portal-link"
            className="min-w-0 flex-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs break-all"
          >
            {created}
          </code>
          <CopyButton text={created} label="Copy link" />
        </div>
      )}
      {links.isPending && <LoadingRows label="Loading links…" rows={2} rowClassName="h-10" />}
      {links.isError && (
        <div className="p-4">
          <QueryError what="links" error={links.error} onRetry={() => links.refetch()} />
        </div>
      )}
      {links.data && links.data.items.length > 0 && (
        <ul
          className="divide-y divide-zinc-200 border-t border-zinc-200"
          aria-label="Portal links, newest first"
        >
          {links.data.items.map((link) => (
            <LinkRow key={link.id} projectId={projectId} link={link} onRevoked={refresh} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function LinkRow({
  projectId,
  link,
  onRevoked,
}: {
  projectId: string;
  link: PortalLink;
  onRevoked: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.portal.revokeLink.mutationOptions({
      onSuccess: onRevoked,
      onError: (revokeError) => setError(revokeError.message),
    }),
  );
  // The clock as the row first rendered: a render itself must not read it (React's purity rule).
  const [shownAt] = useState(Date.now);
  const expired = link.expiresAt.getTime() <= shownAt;
  const state = link.revokedAt ? "revoked" : expired ? "expired" : "active";
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
      <span className="font-mono break-all">{link.customer}</span>
      <Badge tone={state === "active" ? "good" : "neutral"}>{state}</Badge>
      <span className="text-xs text-zinc-700">
        Created <TimeAgo date={link.createdAt} />
        {state === "active" && (
          <>
            {" "}
            · expires <TimeAgo date={link.expiresAt} />
          </>
        )}
      </span>
      {state === "active" && (
        <ConfirmDialog
          trigger={
            <Button variant="secondary" className="ml-auto">
              Revoke
            </Button>
          }
          title={`Revoke this link for “${link.customer}”?`}
          description={<p>Whoever has it can no longer open the portal with it. This cannot be undone.</p>}
          confirmLabel="Revoke link"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate({ projectId, id: link.id })}
        />
      )}
      {error && <p className="w-full text-red-700">{error}</p>}
    </li>
  );
}
