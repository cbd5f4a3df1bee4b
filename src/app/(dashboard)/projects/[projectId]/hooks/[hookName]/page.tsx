import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryChartPanel } from "@/components/charts/delivery-chart-panel";
import { formatPercent } from "@/components/format";
import { describeField } from "@/components/hooks/describe-field";
import { sendEventSnippets } from "@/components/hooks/snippets";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card } from "@/components/ui/card";
import { SnippetTabs } from "@/components/ui/snippet-tabs";
import { StatTile } from "@/components/ui/stat";
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from "@/core/delivery/retry-schedule";
import { normalizeHookField } from "@/core/hook-fields";
import { browserOrigin } from "@/server/http/browser-origin";
import { isOperationalHookName } from "@/server/operational/hooks";
import { serverCaller } from "@/trpc/server";
import { decodeSegment, orNotFound } from "../../load";
import { HookFieldsTable } from "./hook-fields-table";
import { HookListeners } from "./hook-listeners";
import { HookVersions } from "./hook-versions";
import { RecentEvents } from "./recent-events";

type Params = Promise<{ projectId: string; hookName: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeSegment((await params).hookName) };
}

function describeSchedule(seconds: readonly number[]): string {
  return seconds.map((second) => `${second} s`).join(", ");
}

export default async function HookPage({ params }: { params: Params }) {
  const { projectId, hookName } = await params;
  const name = decodeSegment(hookName);
  const caller = await serverCaller();
  const hook = await orNotFound(caller.hook.get({ projectId, name }));
  const versions = await caller.hook.versions({ projectId, name });
  const base = `/projects/${projectId}`;
  const hookPath = `${base}/hooks/${encodeURIComponent(hook.name)}`;
  const operational = isOperationalHookName(hook.name);

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Breadcrumbs items={[{ label: "Hooks", href: base }, { label: hook.name }]} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="font-mono text-xl font-semibold break-all">{hook.name}</h1>
            {hook.verboseName && <p className="text-zinc-700">{hook.verboseName}</p>}
            {hook.description && <p className="mt-1 max-w-2xl text-sm text-zinc-700">{hook.description}</p>}
          </div>
          <Link
            href={`${hookPath}/listeners/new`}
            className="inline-flex min-h-9 items-center rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600"
          >
            Add a listener
          </Link>
        </div>
      </div>

      <dl className="grid grid-cols-3 gap-2 sm:gap-3">
        <StatTile label="Listeners" value={String(hook.stats.listeners)} />
        <StatTile label="Events, last 24 h" value={String(hook.stats.events24h)} />
        <StatTile label="Success, last 24 h" value={formatPercent(hook.stats.successRate24h)} />
      </dl>

      <DeliveryChartPanel projectId={projectId} hook={hook.name} title="Deliveries of this hook" />

      <Card title="Definition" titleId="definition-heading">
        <dl className="grid gap-x-6 gap-y-3 p-4 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-zinc-600">Fields (providesArgs)</dt>
          <dd>
            <HookFieldsTable projectId={projectId} hookName={hook.name} providesArgs={hook.providesArgs} />
          </dd>
          <dt className="text-zinc-600">Version</dt>
          <dd>{hook.version}</dd>
          {hook.configForm.length > 0 && (
            <>
              <dt className="text-zinc-600">Listener options</dt>
              <dd>
                <ul className="flex flex-wrap gap-1" aria-label="Listener options">
                  {hook.configForm.map((option) => (
                    <li
                      key={option.name}
                      className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800"
                    >
                      {describeField(option)}
                      {option.default !== undefined && ` = ${JSON.stringify(option.default)}`}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
          <dt className="text-zinc-600">Kind</dt>
          <dd>{hook.kind}</dd>
          <dt className="text-zinc-600">Attempt timeout</dt>
          <dd>{hook.timeoutMs / 1000} s</dd>
          <dt className="text-zinc-600">Retry schedule</dt>
          <dd>
            {hook.retrySchedule.length > 0
              ? describeSchedule(hook.retrySchedule)
              : `default (${describeSchedule(DEFAULT_RETRY_SCHEDULE_SECONDS)})`}
          </dd>
          <dt className="text-zinc-600">Status</dt>
          <dd>{hook.enabled ? "Enabled" : "Disabled: events are recorded but not delivered"}</dd>
        </dl>
        <p className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-600">
          {operational ? (
            <>Durian defines and sends this operational event itself; add a listener to be told.</>
          ) : (
            <>
              Hooks are defined by your app (SDK <code className="font-mono">hooks.sync()</code> or{" "}
              <code className="font-mono">PUT /api/v1/hooks/{hook.name}</code>); only the fields above are
              ever stored or sent, and typed fields are checked on every event.
            </>
          )}
        </p>
      </Card>

      <HookVersions versions={versions} />

      {!operational && (
        <Card title="Send this hook's event" titleId="send-heading">
          <div className="p-4">
            <SnippetTabs
              label="Ways to send this event"
              snippets={sendEventSnippets(
                await browserOrigin(),
                hook.name,
                hook.providesArgs.map(normalizeHookField),
              )}
            />
          </div>
        </Card>
      )}

      <HookListeners
        projectId={projectId}
        hookName={hook.name}
        newListenerHref={`${hookPath}/listeners/new`}
      />
      <RecentEvents projectId={projectId} hookName={hook.name} />
    </div>
  );
}
