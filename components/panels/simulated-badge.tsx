"use client";

import { ProvenanceBadge } from "@/components/ui/provenance-badge";
import { useView } from "@/components/providers/view-context";
import { useLive, useLiveShape } from "@/components/providers/live-context";
import { combineProvenance, countProvenance, historyProvenanceParts, provenanceParts } from "@/lib/domain/provenance";
import type { SeriesProvenance } from "@/lib/contracts/ingest";
import type { HistoryProvenance } from "@/lib/contracts/history";

/**
 * The label every live panel carries: where the values on screen come from, per series. All one
 * kind: that kind ("Simulated", "Measured"…); several: how many of each ("3 measured · 18 simulated").
 */
export function LiveProvenanceBadge() {
  const { messages } = useView();
  // Re-renders when a series changes kind, not on every tick.
  const { shape } = useLiveShape();
  const info = useLive().info;
  const counts = countProvenance(shape.codes, shape.series.length);
  const combined = combineProvenance(counts);
  const notes: Record<SeriesProvenance, string> = {
    measured: messages.provenance.measuredNote,
    stale: messages.provenance.staleNote(info?.measuredStaleSeconds ?? 180),
    simulated: messages.provenance.simulatedNote,
    none: messages.provenance.noneNote,
  };
  const parts = provenanceParts(counts);
  if (combined === "mixed") {
    return <ProvenanceBadge provenance="mixed" label={messages.provenance.counts(parts)} title={parts.map(({ provenance }) => notes[provenance]).join("\n")} />;
  }
  return <ProvenanceBadge provenance={combined} label={messages.provenance[combined]} title={notes[combined]} />;
}

/** Under a history window: where the history drawn comes from, per series ("2 measured · 19 simulated", or one kind). */
export function HistoryProvenanceBadge({ provenance }: { provenance: readonly HistoryProvenance[] }) {
  const { messages } = useView();
  const parts = historyProvenanceParts(provenance);
  const only = parts.length === 1 ? parts[0]!.kind : "mixed";
  const label = messages.provenance.history(parts);
  return <ProvenanceBadge provenance={only === "measured" || only === "simulated" || only === "none" ? only : "mixed"} label={label} title={messages.provenance.historyNote} />;
}
