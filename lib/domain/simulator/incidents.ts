import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import { SERIES } from "@/lib/domain/series";
import { unit } from "./random";

/**
 * Incidents a network engineer would recognise:
 *  - outage: one operator drops sharply across every sector, holds, then recovers;
 *  - surge: one sector rises across every operator, holds, then decays;
 *  - leak: one series slowly loses connections, then is fixed at once.
 * The random ones are a pure function of seed and time (so every process sees the same);
 * `ManualIncident`s are triggered on demand for demos and tests.
 */
export const INCIDENT_KINDS = ["outage", "surge", "leak"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Incident {
  kind: IncidentKind;
  operator: OperatorSlug | null;
  sector: SectorSlug | null;
  startMs: number;
  /** Fraction lost (outage, leak) or gained (surge) at full effect. */
  magnitude: number;
  /** Time to full effect, time held, time to recover. */
  rampMs: number;
  holdMs: number;
  recoverMs: number;
}

export const incidentEndMs = (incident: Incident) =>
  incident.startMs + incident.rampMs + incident.holdMs + incident.recoverMs;

/** How much of its full effect an incident has at `instantMs`: 0 … 1. */
export function incidentEffect(incident: Incident, instantMs: number): number {
  const elapsed = instantMs - incident.startMs;
  if (elapsed < 0) return 0;
  if (elapsed < incident.rampMs) return elapsed / incident.rampMs;
  if (elapsed < incident.rampMs + incident.holdMs) return 1;
  const recovering = elapsed - incident.rampMs - incident.holdMs;
  if (recovering < incident.recoverMs) return 1 - recovering / incident.recoverMs;
  return 0;
}

/** Whether an incident applies to the series at `index`. */
export function incidentTouches(incident: Incident, index: number): boolean {
  const series = SERIES[index]!;
  return (
    (incident.operator === null || incident.operator === series.operator) &&
    (incident.sector === null || incident.sector === series.sector)
  );
}

/** The multiplier an incident applies to a series level at full effect × `effect`. */
export function incidentFactor(incident: Incident, effect: number): number {
  return incident.kind === "surge" ? 1 + incident.magnitude * effect : 1 - incident.magnitude * effect;
}

const HOUR_MS = 3_600_000;
// Chance per hour: each operator has an outage about every 2 days, each sector a surge
// about every 1.5 days, each series a leak about every 4 days.
const OUTAGE_PER_HOUR = 0.02;
const SURGE_PER_HOUR = 0.028;
const LEAK_PER_HOUR = 0.01;
const CHANNEL = { outage: 101, surge: 202, leak: 303 } as const;

function scheduledIn(seed: number, slot: number): Incident[] {
  const incidents: Incident[] = [];
  const slotStart = slot * HOUR_MS;
  OPERATOR_SLUGS.forEach((operator, index) => {
    const draw = (n: number) => unit(seed, CHANNEL.outage, index, slot, n);
    if (draw(0) >= OUTAGE_PER_HOUR) return;
    incidents.push({
      kind: "outage",
      operator,
      sector: null,
      startMs: slotStart + Math.floor(draw(1) * 0.8 * HOUR_MS),
      magnitude: 0.3 + 0.4 * draw(2),
      rampMs: 20_000,
      holdMs: 120_000 + Math.floor(draw(3) * 180_000),
      recoverMs: 180_000 + Math.floor(draw(4) * 180_000),
    });
  });
  SECTOR_SLUGS.forEach((sector, index) => {
    const draw = (n: number) => unit(seed, CHANNEL.surge, index, slot, n);
    if (draw(0) >= SURGE_PER_HOUR) return;
    incidents.push({
      kind: "surge",
      operator: null,
      sector,
      startMs: slotStart + Math.floor(draw(1) * 0.8 * HOUR_MS),
      magnitude: 0.15 + 0.25 * draw(2),
      rampMs: 60_000,
      holdMs: 180_000 + Math.floor(draw(3) * 300_000),
      recoverMs: 240_000,
    });
  });
  SERIES.forEach(({ operator, sector }, index) => {
    const draw = (n: number) => unit(seed, CHANNEL.leak, index, slot, n);
    if (draw(0) >= LEAK_PER_HOUR) return;
    incidents.push({
      kind: "leak",
      operator,
      sector,
      startMs: slotStart + Math.floor(draw(1) * 0.8 * HOUR_MS),
      magnitude: 0.1 + 0.15 * draw(2),
      rampMs: 1_200_000 + Math.floor(draw(3) * 1_200_000),
      holdMs: 0,
      recoverMs: 30_000,
    });
  });
  return incidents;
}

/**
 * The scheduled incidents in effect at `instantMs`. None lasts longer than an hour and none
 * starts later than 0.8 h into its slot, so the current and previous slots cover every one.
 */
export function scheduledIncidentsAt(seed: number, instantMs: number): Incident[] {
  const slot = Math.floor(instantMs / HOUR_MS);
  return [...scheduledIn(seed, slot - 1), ...scheduledIn(seed, slot)].filter(
    (incident) => instantMs >= incident.startMs && instantMs < incidentEndMs(incident),
  );
}

/** Default shapes for incidents triggered on demand. */
export function manualIncident(
  kind: IncidentKind,
  target: { operator: OperatorSlug | null; sector: SectorSlug | null },
  startMs: number,
  options: { magnitude?: number; durationMs?: number } = {},
): Incident {
  const durationMs = options.durationMs ?? (kind === "leak" ? 600_000 : 300_000);
  const rampMs = kind === "outage" ? Math.min(10_000, durationMs / 4) : kind === "surge" ? Math.min(30_000, durationMs / 4) : durationMs - Math.min(15_000, durationMs / 10);
  const recoverMs = kind === "leak" ? durationMs - rampMs : Math.min(60_000, durationMs / 4);
  return {
    kind,
    ...target,
    startMs,
    magnitude: options.magnitude ?? (kind === "outage" ? 0.5 : kind === "surge" ? 0.3 : 0.2),
    rampMs,
    holdMs: Math.max(0, durationMs - rampMs - recoverMs),
    recoverMs,
  };
}
