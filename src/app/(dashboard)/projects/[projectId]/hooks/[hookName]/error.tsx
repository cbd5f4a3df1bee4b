"use client";

import { RouteError } from "@/components/deliveries/route-error";

export default function PageError({ error, reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Something went wrong" error={error} reset={reset} />;
}
