import type { ReactNode } from "react";

/**
 * A dashboard panel: a titled section that dims (keeping its values) while the data is stale.
 * Presentational: what its header says (`age`, `badge`) is handed in by the panel that knows.
 */
export function Panel({
  id,
  title,
  badge,
  age,
  stale = false,
  className = "",
  children,
}: {
  id: string;
  title: string;
  badge?: ReactNode;
  age?: ReactNode;
  stale?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      data-panel={id}
      data-stale={stale || undefined}
      className={`flex min-h-0 min-w-0 flex-col rounded-lg border border-panel-border bg-panel p-4 transition-opacity data-[stale]:opacity-70 wall:p-[0.8em] ${className}`}
    >
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2 wall:mb-[0.4em]">
        <h2 id={`${id}-title`} className="text-base font-semibold wall:text-[1em]">
          {title}
        </h2>
        <div className="flex items-center gap-2">
          {age}
          {badge}
        </div>
      </header>
      {children}
    </section>
  );
}
