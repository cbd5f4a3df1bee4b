import { LoadingRows } from "@/components/ui/skeleton";

export default function LoadingInspector() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Request inspector</h1>
      <LoadingRows label="Loading the request inspector…" rows={5} rowClassName="h-12" />
    </div>
  );
}
