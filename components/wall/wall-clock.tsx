"use client";

import { formatClock } from "@/lib/domain/format";
import { useLive } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";

/** The time in China, large, ticking with the page's one-second clock. */
export function WallClock() {
  const { nowMs } = useLive();
  const { view, messages } = useView();
  return (
    <div className="text-right leading-tight">
      <time data-wall-clock className="block text-[1.9em] font-semibold tabular-nums" dateTime={nowMs ? new Date(nowMs).toISOString() : undefined}>
        {nowMs ? formatClock(nowMs, view.lang) : "--:--:--"}
      </time>
      <span className="text-[0.7em] text-ink-muted">{messages.timeZone}</span>
    </div>
  );
}
