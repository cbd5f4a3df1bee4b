export default function PortalNotFound() {
  return (
    <div className="py-16 text-center" data-testid="portal-not-found">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-zinc-700">There is no such page among your webhooks.</p>
    </div>
  );
}
