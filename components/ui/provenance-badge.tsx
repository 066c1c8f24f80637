import type { Provenance } from "@/lib/contracts/baselines";

const STYLE: Record<Provenance | "simulated", string> = {
  reported: "border-reported text-reported",
  assumption: "border-assumed text-assumed",
  simulated: "border-accent text-accent",
};

/** Says where a figure comes from; every number on screen carries one. `title` explains (source or method). */
export function ProvenanceBadge({ provenance, label, title }: { provenance: Provenance | "simulated"; label: string; title?: string }) {
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
