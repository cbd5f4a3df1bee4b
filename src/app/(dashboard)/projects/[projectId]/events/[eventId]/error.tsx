"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function EventError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Event" error={error} reset={reset} />;
}
