"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function EventsError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Events" error={error} reset={reset} />;
}
