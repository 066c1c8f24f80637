"use client";

import { useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import type { DashboardView } from "@/lib/contracts/view";
import { dashboardSearch, parseDashboardView } from "@/lib/domain/dashboard-url";
import { MESSAGES, type Messages } from "@/lib/i18n/messages";

interface ViewContextValue {
  view: DashboardView;
  messages: Messages;
  /**
   * Changes the view by pushing a new URL: back and forward walk through views, reload restores
   * one. A function receives the view as the URL has it now, which may be ahead of the last render
   * (two quick clicks both count).
   */
  setView: (change: Partial<DashboardView> | ((current: DashboardView) => Partial<DashboardView>)) => void;
}

const ViewContext = createContext<ViewContextValue | null>(null);

/**
 * The URL is the one source of truth for what is shown. Changing a filter pushes a history
 * entry with the native History API, which Next.js folds into useSearchParams without a
 * round trip to the server.
 */
export function ViewProvider({ basePath, children }: { basePath: string; children: ReactNode }) {
  const searchParams = useSearchParams();
  const view = useMemo(() => parseDashboardView(searchParams).view, [searchParams]);
  const setView = useCallback(
    (change: Partial<DashboardView> | ((current: DashboardView) => Partial<DashboardView>)) => {
      const current = parseDashboardView(new URLSearchParams(window.location.search)).view;
      const next = { ...current, ...(typeof change === "function" ? change(current) : change) };
      window.history.pushState(null, "", `${basePath}${dashboardSearch(next)}`);
    },
    [basePath],
  );
  const value = useMemo(() => ({ view, messages: MESSAGES[view.lang], setView }), [view, setView]);
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}

/** A view that does not come from the URL: a wall screen's current playlist view. */
export function FixedViewProvider({ view, children }: { view: DashboardView; children: ReactNode }) {
  const value = useMemo(() => ({ view, messages: MESSAGES[view.lang], setView: () => {} }), [view]);
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}

export function useView(): ViewContextValue {
  const value = useContext(ViewContext);
  if (!value) throw new Error("useView outside ViewProvider");
  return value;
}
