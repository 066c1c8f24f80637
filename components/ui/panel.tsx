import type { ReactNode } from "react";

/** A dashboard panel: a titled section that dims (keeping its values) while the data is stale. */
export function Panel({
  id,
  title,
  badge,
  stale = false,
  className = "",
  children,
}: {
  id: string;
  title: string;
  badge?: ReactNode;
  stale?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      data-panel={id}
      data-stale={stale || undefined}
      className={`flex min-w-0 flex-col rounded-lg border border-panel-border bg-panel p-4 transition-opacity data-[stale]:opacity-70 ${className}`}
    >
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-base font-semibold">
          {title}
        </h2>
        {badge}
      </header>
      {children}
    </section>
  );
}
