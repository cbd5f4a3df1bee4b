import type { Metadata } from "next";
import { env } from "@/server/env";
import { openPortal, ownOrNotFound } from "../../load";
import { PortalListener } from "./portal-listener";

export const metadata: Metadata = { title: "Listener" };

export default async function PortalListenerPage({
  params,
}: {
  params: Promise<{ token: string; listenerId: string }>;
}) {
  const { token, listenerId } = await params;
  const opened = await openPortal(token);
  if ("refusal" in opened) return null;
  const { secret: _secret, ...listener } = await ownOrNotFound(opened.scope.getListener(listenerId));
  return (
    <PortalListener token={token} listener={listener} failingAfter={env().DURIAN_FAILING_AFTER_FAILURES} />
  );
}
