"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function DeliveryError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Delivery" error={error} reset={reset} />;
}
