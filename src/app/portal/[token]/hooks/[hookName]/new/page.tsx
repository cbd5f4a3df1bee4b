import type { Metadata } from "next";
import { decodeSegment } from "@/app/(dashboard)/projects/[projectId]/load";
import { openPortal, ownOrNotFound } from "../../../load";
import { PortalListenerForm } from "./portal-listener-form";

export const metadata: Metadata = { title: "New listener" };

export default async function PortalNewListenerPage({
  params,
}: {
  params: Promise<{ token: string; hookName: string }>;
}) {
  const { token, hookName } = await params;
  const opened = await openPortal(token);
  if ("refusal" in opened) return null;
  const hook = await ownOrNotFound(opened.scope.hook(decodeSegment(hookName)));
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        New listener on <span className="font-mono break-all">{hook.name}</span>
      </h1>
      <PortalListenerForm
        token={token}
        hook={{ name: hook.name, fields: hook.fields, configForm: hook.configForm }}
      />
    </div>
  );
}
