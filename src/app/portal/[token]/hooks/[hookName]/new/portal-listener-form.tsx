"use client";

import { ListenerForm } from "@/components/listener-form/listener-form";
import type { ConfigOption, HookField } from "@/core/hook-fields";

/**
 * The dashboard's listener form, generated from the hook's providesArgs, as it is: under the portal's
 * provider its calls reach the portal's procedures, which take the project and the customer from the
 * link (so the `projectId` it sends is a placeholder nobody reads).
 */
export function PortalListenerForm({
  token,
  hook,
}: {
  token: string;
  hook: { name: string; fields: HookField[]; configForm: ConfigOption[] };
}) {
  return (
    <ListenerForm
      projectId="portal"
      hook={hook}
      savedHref={(listenerId) => `/portal/${token}/listeners/${listenerId}`}
    />
  );
}
