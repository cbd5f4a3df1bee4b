import type { Metadata } from "next";
import type { CSSProperties } from "react";
import type { PortalPresentation } from "@/server/services/portal/settings";
import type { PortalLinkRefusal } from "@/server/services/portal/links";
import { PortalTRPCReactProvider } from "@/trpc/portal";
import { openPortal } from "./load";

export const metadata: Metadata = { title: "Webhooks", robots: { index: false, follow: false } };

const REFUSALS: Record<PortalLinkRefusal, { title: string; detail: string }> = {
  expired: {
    title: "This link has expired",
    detail:
      "Portal links work for a limited time. Open the webhooks page again from the app that sent you here.",
  },
  revoked: {
    title: "This link was revoked",
    detail: "It no longer works. Open the webhooks page again from the app that sent you here.",
  },
  unknown: {
    title: "This link is not valid",
    detail:
      "Check that you copied it whole, or open the webhooks page again from the app that sent you here.",
  },
};

/** The theme's colours as the CSS variables the components' classes read. */
function themeStyle(look: PortalPresentation): CSSProperties {
  const style: Record<string, string> = {};
  if (look.primaryColor) {
    style["--color-brand-700"] = look.primaryColor;
    style["--color-brand-600"] = look.primaryColor;
  }
  if (look.backgroundColor) style.backgroundColor = look.backgroundColor;
  return style as CSSProperties;
}

/**
 * The customer portal: the pages a portal link opens, for one customer's listeners of one project,
 * in the project's theme. No session, no cookie: the token in the path is the credential, and every
 * call the pages make carries it (PortalTRPCReactProvider).
 */
export default async function PortalLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ token: string }>;
}) {
  const { token } = await params;
  const opened = await openPortal(token);
  if ("refusal" in opened) {
    const refusal = REFUSALS[opened.refusal];
    return (
      <main className="mx-auto max-w-md px-4 py-24 text-center" data-testid="portal-refused">
        <h1 className="text-2xl font-semibold">{refusal.title}</h1>
        <p className="mt-2 text-zinc-700">{refusal.detail}</p>
      </main>
    );
  }
  const look = await opened.scope.presentation();
  return (
    <div className="min-h-screen bg-zinc-50" style={themeStyle(look)}>
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-4xl items-center gap-3 px-4 py-3">
          {look.logoUrl && (
            // A logo from the app's own site, of any size: next/image would need its host configured.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={look.logoUrl} alt="" className="h-8 w-auto" />
          )}
          <p className="text-lg font-semibold text-zinc-900" data-testid="portal-name">
            {look.name}
          </p>
          <p className="ml-auto text-sm text-zinc-600">Webhooks</p>
        </div>
      </header>
      <main className="mx-auto max-w-4xl space-y-4 px-4 py-6">
        <PortalTRPCReactProvider token={token}>{children}</PortalTRPCReactProvider>
      </main>
    </div>
  );
}
