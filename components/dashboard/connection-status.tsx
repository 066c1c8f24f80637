"use client";

import { formatAge } from "@/lib/domain/format";
import { useLive } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";

/** Always visible: live, reconnecting, or stale with the age of the last update. */
export function ConnectionStatus() {
  const live = useLive();
  const { view, messages } = useView();
  const age = live.lastTickAt > 0 && live.nowMs > 0 ? formatAge(live.nowMs - live.lastTickAt, view.lang) : null;
  const state = live.status === "live" && !live.stale ? "live" : live.status === "reconnecting" ? "reconnecting" : live.stale ? "stale" : "connecting";
  const dot = { live: "bg-emerald-400", reconnecting: "bg-amber-400 animate-pulse", stale: "bg-amber-400", connecting: "bg-slate-400 animate-pulse" }[state];
  const label = {
    live: messages.status.live,
    reconnecting: messages.status.reconnecting,
    stale: messages.status.stale,
    connecting: messages.status.connecting,
  }[state];
  return (
    <div role="status" aria-live="polite" data-connection={state} className="inline-flex items-center gap-2 rounded-full border border-panel-border bg-panel px-3 py-1 text-sm">
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${dot}`} />
      <span className="font-medium">{label}</span>
      {age !== null && state !== "connecting" ? (
        <span className="text-ink-muted">· {state === "live" ? messages.status.updatedAgo(age) : messages.status.lastUpdateAgo(age)}</span>
      ) : null}
    </div>
  );
}
