import { LoadingRows } from "@/components/ui/skeleton";

export default function LoadingDelivery() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Delivery</h1>
      <LoadingRows label="Loading the delivery…" rows={6} />
    </div>
  );
}
