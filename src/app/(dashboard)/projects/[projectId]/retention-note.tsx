import { env } from "@/server/env";

/** How long this history is kept (`DURIAN_RETENTION_DAYS`), said on the pages that show it. */
export function RetentionNote() {
  const days = env().DURIAN_RETENTION_DAYS;
  return (
    <p className="mt-1 text-sm text-zinc-700">
      Kept for {days === 1 ? "1 day" : `${days} days`}, then deleted.
    </p>
  );
}
