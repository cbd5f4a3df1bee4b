import { LoadingRows } from "@/components/ui/skeleton";

export default function LoadingEvents() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Events</h1>
      <LoadingRows label="Loading events…" rows={8} rowClassName="h-16" />
    </div>
  );
}
