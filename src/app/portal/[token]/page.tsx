import { PortalHome } from "./portal-home";
import { openPortal } from "./load";

export default async function PortalHomePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const opened = await openPortal(token);
  // A link that does not open: the layout says why.
  if ("refusal" in opened) return null;
  return <PortalHome token={token} hooks={await opened.scope.hooks()} />;
}
