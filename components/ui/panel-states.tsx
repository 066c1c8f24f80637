import { Panel } from "./panel";

/** A panel whose data or chart failed: it says so and offers a retry; the rest of the page goes on. */
export function PanelError({ id, title, className, message, retryLabel, onRetry }: { id: string; title: string; className?: string; message: string; retryLabel: string; onRetry: () => void }) {
  return (
    <Panel id={id} title={title} className={className}>
      <div data-panel-error role="alert" className="flex flex-1 flex-col items-start justify-center gap-3 py-6 text-sm text-ink-muted wall:text-[0.8em]">
        <p>{message}</p>
        <button
          type="button"
          onClick={onRetry}
          className="rounded border border-panel-border px-3 py-1 text-ink hover:bg-panel-border/40 focus-visible:outline focus-visible:outline-2"
        >
          {retryLabel}
        </button>
      </div>
    </Panel>
  );
}

/** The named placeholder a panel shows while it loads: the panel's frame and title, grey bars for its body. */
export function PanelSkeleton({ id, title, className, label }: { id: string; title: string; className?: string; label: string }) {
  return (
    <Panel id={id} title={title} className={className}>
      <div data-panel-skeleton role="status" aria-label={label} className="flex flex-1 flex-col gap-2 py-2">
        <div className="h-4 w-2/3 animate-pulse rounded bg-panel-border" />
        <div className="h-4 w-1/2 animate-pulse rounded bg-panel-border" />
        <div className="min-h-16 flex-1 animate-pulse rounded bg-panel-border/60" />
      </div>
    </Panel>
  );
}
