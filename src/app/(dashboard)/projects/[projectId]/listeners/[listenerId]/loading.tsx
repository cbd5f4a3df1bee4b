import { Skeleton, LoadingRows } from "@/components/ui/skeleton";

export default function LoadingListener() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-7 w-56" />
      </div>
      <LoadingRows label="Loading the listener…" rows={4} rowClassName="h-20" />
    </div>
  );
}
