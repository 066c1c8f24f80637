"use client";

import { LiveAge } from "@/components/panels/panel-age";
import { useLive } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";

/** Always visible: live, reconnecting, or stale with the age of the last update. */
export function ConnectionStatus() {
  const live = useLive();
  const { messages } = useView();
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
      {/* The age moves on every second without re-rendering this (the text is written in place). */}
      {live.ticking && state !== "connecting" ? (
        <LiveAge className="text-ink-muted" format={(age) => `· ${state === "live" ? messages.status.updatedAgo(age) : messages.status.lastUpdateAgo(age)}`} />
      ) : null}
    </div>
  );
}
