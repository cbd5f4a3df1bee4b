import { describeField } from "@/components/hooks/describe-field";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Timestamp } from "@/components/deliveries/timestamp";
import type { RouterOutputs } from "@/trpc/react";

type HookVersion = RouterOutputs["hook"]["versions"][number];

/** Each version of the hook's fields, latest first: its fields, its listeners, and what changed from the one before. */
export function HookVersions({ versions }: { versions: HookVersion[] }) {
  const latest = versions[0]?.version;
  return (
    <Card title="Versions" titleId="versions-heading">
      <p className="border-b border-zinc-200 px-4 py-3 text-xs text-zinc-600">
        A breaking change to the fields (removing one, changing a type, making one required) adds a version;
        listeners stay on the version they were created for until they are moved. Events name their version
        (the latest when they name none).
      </p>
      <ol className="divide-y divide-zinc-200">
        {versions.map((version) => (
          <li
            key={version.version}
            className="space-y-2 px-4 py-3 text-sm"
            aria-label={`Version ${version.version}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-semibold">Version {version.version}</h3>
              {version.version === latest && <Badge tone="info">latest</Badge>}
              <span className="text-zinc-600">
                {version.listeners} listener{version.listeners === 1 ? "" : "s"} · since{" "}
                <Timestamp value={version.createdAt} />
              </span>
            </div>
            <ul className="flex flex-wrap gap-1" aria-label="Fields">
              {version.providesArgs.map((field) => (
                <li
                  key={typeof field === "string" ? field : field.name}
                  className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800"
                >
                  {describeField(field)}
                </li>
              ))}
            </ul>
            {version.changes.length > 0 && (
              <ul className="space-y-1" aria-label={`Changes from version ${version.version - 1}`}>
                {version.changes.map((change) => (
                  <li key={`${change.path} ${change.detail}`} className="flex flex-wrap items-center gap-2">
                    <Badge tone={change.breaking ? "bad" : "good"}>
                      {change.breaking ? "breaking" : "additive"}
                    </Badge>
                    <code className="font-mono text-xs">{change.path}</code>
                    <span className="text-zinc-700">{change.detail}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
