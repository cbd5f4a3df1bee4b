import { LoadingRows } from "@/components/ui/skeleton";

export default function LoadingApiKeys() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">API keys</h1>
      <LoadingRows label="Loading API keys…" rows={3} rowClassName="h-14" />
    </div>
  );
}
