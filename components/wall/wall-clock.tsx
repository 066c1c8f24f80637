"use client";

import { useLayoutEffect, useRef } from "react";
import { formatClock } from "@/lib/domain/format";
import { readClock, subscribeClock } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { setAttribute, setText } from "@/components/panels/live-text";

/**
 * The time in China, large, ticking with the page's one-second clock. The seconds are written in
 * place, in the same timer as the panels' ages: no React render each second.
 */
export function WallClock() {
  const { view, messages } = useView();
  const time = useRef<HTMLTimeElement>(null);
  useLayoutEffect(() => {
    const write = () => {
      const nowMs = readClock();
      setText(time.current, nowMs ? formatClock(nowMs, view.lang) : "--:--:--");
      setAttribute(time.current, "datetime", nowMs ? new Date(nowMs).toISOString() : null);
    };
    const stop = subscribeClock(write);
    write();
    return stop;
  }, [view.lang]);
  return (
    <div className="text-right leading-tight">
      {/* "--:--:--" until the clock runs: the server does not know the viewer's time. */}
      <time ref={time} data-wall-clock className="block text-[1.9em] font-semibold tabular-nums">
        --:--:--
      </time>
      <span className="text-[0.7em] text-ink-muted">{messages.timeZone}</span>
    </div>
  );
}
