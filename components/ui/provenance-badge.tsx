import type { Provenance } from "@/lib/contracts/baselines";

const LABEL: Record<Provenance | "simulated", string> = {
  reported: "Reported",
  assumption: "Assumption",
  simulated: "Simulated",
};

const STYLE: Record<Provenance | "simulated", string> = {
  reported: "border-reported text-reported",
  assumption: "border-assumed text-assumed",
  simulated: "border-accent text-accent",
};

/** Says where a figure comes from; every number on screen carries one. */
export function ProvenanceBadge({ provenance, title }: { provenance: Provenance | "simulated"; title?: string }) {
  return (
    <span
      title={title}
      data-provenance={provenance}
      className={`inline-block rounded border px-1.5 py-px text-[0.7rem] font-medium uppercase tracking-wide ${STYLE[provenance]}`}
    >
      {LABEL[provenance]}
    </span>
  );
}
