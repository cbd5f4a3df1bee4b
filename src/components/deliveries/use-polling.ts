"use client";

import { useEffect, useRef } from "react";

/**
 * Calls `poll` every `intervalMs` after the previous call finished (never two at once), skipping
 * turns while the tab is hidden. `poll` handles its own errors.
 */
export function usePolling(poll: () => Promise<void>, intervalMs: number, enabled = true): void {
  const latest = useRef(poll);
  useEffect(() => {
    latest.current = poll;
  }, [poll]);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      if (!document.hidden) await latest.current().catch(() => {});
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, enabled]);
}
