"use client";

import { useContext } from "react";
import { formatAge } from "@/lib/domain/format";
import { useLive } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { WallContext } from "@/components/providers/wall-context";

/** "updated 3 s ago" in a panel's header, on wall screens only (the dashboard has one status for all). */
export function PanelAge() {
  const wall = useContext(WallContext);
  const live = useLive();
  const { view, messages } = useView();
  if (!wall || live.lastTickAt === 0 || live.nowMs === 0) return null;
  return (
    <span data-panel-age className="whitespace-nowrap text-[0.75em] text-ink-muted">
      {messages.status.updatedAgo(formatAge(Math.max(0, live.nowMs - live.lastTickAt), view.lang))}
    </span>
  );
}
