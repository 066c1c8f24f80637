"use client";

import { useQueryErrorResetBoundary } from "@tanstack/react-query";
import { Suspense, type ReactNode } from "react";
import { ErrorBoundary } from "@/components/ui/error-boundary";
import { PanelError, PanelSkeleton } from "@/components/ui/panel-states";
import { useView } from "@/components/providers/view-context";

/**
 * One panel's own failure and loading states (next-learn's per-panel Suspense, plus a boundary):
 * a query that fails with nothing to show, or a chart that throws, replaces this panel only, with
 * a retry that refetches the failed queries. The dashboard and the wall wrap every panel in one;
 * `className` is the panel's own grid placement, so the states take the panel's place exactly.
 */
export function PanelBoundary({ id, title, className, children }: { id: string; title: string; className?: string; children: ReactNode }) {
  const { messages } = useView();
  const { reset } = useQueryErrorResetBoundary();
  return (
    <ErrorBoundary
      onReset={reset}
      fallback={(retry) => <PanelError id={id} title={title} className={className} message={messages.panel.failed} retryLabel={messages.panel.retry} onRetry={retry} />}
    >
      <Suspense fallback={<PanelSkeleton id={id} title={title} className={className} label={messages.panel.loading} />}>{children}</Suspense>
    </ErrorBoundary>
  );
}
