import type { ReactNode } from "react";

/**
 * A captioned chart that takes a fixed height on the dashboard and shares its panel's height on a
 * wall screen (Chart.js sizes the canvas to this box).
 */
export function ChartFigure({ caption, heightClass, children, footer }: { caption: string; heightClass: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <figure className="flex min-w-0 flex-col wall:min-h-0">
      <figcaption className="mb-1 text-sm text-ink-muted wall:text-[0.75em]">{caption}</figcaption>
      <div className={`${heightClass} wall:h-auto wall:min-h-0 wall:flex-1`}>{children}</div>
      {footer}
    </figure>
  );
}
