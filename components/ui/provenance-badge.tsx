import type { Provenance } from "@/lib/contracts/baselines";
import type { CombinedProvenance } from "@/lib/domain/provenance";

type BadgeProvenance = Provenance | CombinedProvenance;

const STYLE: Record<BadgeProvenance, string> = {
  reported: "border-reported text-reported",
  assumption: "border-assumed text-assumed",
  simulated: "border-accent text-accent",
  measured: "border-measured text-measured",
  stale: "border-dashed border-warn text-warn",
  none: "border-dashed border-ink-muted text-ink-muted",
  mixed: "border-ink-muted text-ink",
};

/** Says where a figure comes from; every number on screen carries one. `title` explains (source or method). */
export function ProvenanceBadge({ provenance, label, title }: { provenance: BadgeProvenance; label: string; title?: string }) {
  return (
    <span
      title={title}
      data-provenance={provenance}
      className={`inline-block whitespace-nowrap rounded border px-1.5 py-px text-[0.7rem] font-medium uppercase tracking-wide ${STYLE[provenance]}`}
    >
      {label}
    </span>
  );
}

/** The small mark a single series carries where its value is shown (matrix cells, legends): shape as well as colour. */
export const SERIES_MARK: Record<CombinedProvenance, { symbol: string; className: string }> = {
  measured: { symbol: "●", className: "text-measured" },
  stale: { symbol: "◌", className: "text-warn" },
  simulated: { symbol: "", className: "" },
  none: { symbol: "∅", className: "text-ink-muted" },
  mixed: { symbol: "◐", className: "text-ink" },
};
