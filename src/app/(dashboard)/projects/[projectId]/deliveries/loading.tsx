import { LoadingRows } from "@/components/ui/skeleton";

export default function LoadingDeliveries() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Deliveries</h1>
      <LoadingRows label="Loading deliveries…" rows={8} rowClassName="h-12" />
    </div>
  );
}
