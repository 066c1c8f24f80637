"use client";

import { useContext, useLayoutEffect, useRef, type HTMLAttributes } from "react";
import type { Language } from "@/lib/contracts/view";
import { formatAge } from "@/lib/domain/format";
import { getStreamState, subscribeStreamState } from "@/lib/realtime/use-live-stream";
import { readClock, subscribeClock, useLive } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { WallContext } from "@/components/providers/wall-context";
import { setText } from "./live-text";

/** How long ago the last tick came, by the page's one clock ("3 s"). */
function ageText(lang: Language): string {
  return formatAge(Math.max(0, readClock() - getStreamState().lastTickAt), lang);
}

/**
 * "updated 3 s ago": the age of the last tick, moved on by the page's one-second clock and by
 * each tick, written straight into its element (no React render for either). Render it only once
 * a tick has come (LiveState.ticking).
 */
export function LiveAge({ format, ...props }: { format: (age: string) => string } & Omit<HTMLAttributes<HTMLSpanElement>, "children">) {
  const { view } = useView();
  const ref = useRef<HTMLSpanElement>(null);
  const latest = useRef(format);
  useLayoutEffect(() => {
    latest.current = format;
  });
  useLayoutEffect(() => {
    const write = () => setText(ref.current, latest.current(ageText(view.lang)));
    write();
    const stopClock = subscribeClock(write);
    const stopStream = subscribeStreamState(write);
    return () => {
      stopClock();
      stopStream();
    };
  }, [view.lang]);
  return (
    <span ref={ref} {...props}>
      {format(ageText(view.lang))}
    </span>
  );
}

/** "updated 3 s ago" in a panel's header, on wall screens only (the dashboard has one status for all). */
export function PanelAge() {
  const wall = useContext(WallContext);
  const live = useLive();
  const { messages } = useView();
  if (!wall || !live.ticking) return null;
  return <LiveAge data-panel-age className="whitespace-nowrap text-[0.75em] text-ink-muted" format={messages.status.updatedAgo} />;
}
