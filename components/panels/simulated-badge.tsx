"use client";

import { ProvenanceBadge } from "@/components/ui/provenance-badge";
import { useView } from "@/components/providers/view-context";

/** The label every live panel carries: these values come from the simulator, and how. */
export function SimulatedBadge() {
  const { messages } = useView();
  return <ProvenanceBadge provenance="simulated" label={messages.provenance.simulated} title={messages.provenance.simulatedNote} />;
}
