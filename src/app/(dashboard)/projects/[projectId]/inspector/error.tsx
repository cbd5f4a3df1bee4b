"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function InspectorError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Request inspector" error={error} reset={reset} />;
}
