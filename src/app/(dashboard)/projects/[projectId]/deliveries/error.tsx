"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function DeliveriesError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Deliveries" error={error} reset={reset} />;
}
