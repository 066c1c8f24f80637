import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { AlertKind, AlertSeverity, DataProvenance } from "@/lib/contracts/alerts";
import type { SeriesProvenance } from "@/lib/contracts/ingest";
import { formatCompactCount } from "./format";
import { SERIES, SERIES_COUNT } from "./series";

/**
 * Decides when a series has left its expected band. The expected level comes from the report
 * baselines and assumptions (growth × share × daily rhythm); recent behaviour decides whether
 * a departure is real: it must persist for several ticks before it raises an alert, and the
 * series must stay back inside for longer before the alert resolves (no flapping).
 *
 * Measured series are judged like simulated ones, against the same band. Only fresh data is
 * judged: while a series is stale or has no data (or, for an operator's total, while any of its
 * series is), its watch pauses — no alert is raised, an open one stays open as it was. An alert
 * belongs to the data it was raised on: when a series moves between measured and simulated, its
 * open alert resolves and the new data is judged afresh.
 */
export const BAND_TOLERANCE = 0.04;
const PERSIST_TICKS = 5;
const CLEAR_TICKS = 10;

export function expectedBand(expected: number, tolerance = BAND_TOLERANCE): { low: number; high: number } {
  return { low: expected * (1 - tolerance), high: expected * (1 + tolerance) };
}

export function severityOf(deviation: number): AlertSeverity {
  const size = Math.abs(deviation);
  if (size >= 0.2) return "critical";
  if (size >= 0.08) return "warning";
  return "info";
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export interface AlertEvent {
  type: "raised" | "escalated" | "resolved";
  /** Stable name of what is watched: "china-mobile:energy" or "china-mobile:*" (the operator total). */
  subject: string;
  operator: OperatorSlug;
  sector: SectorSlug | null;
  kind: AlertKind;
  severity: AlertSeverity;
  observed: number;
  expected: number;
  expectedLow: number;
  expectedHigh: number;
  atMs: number;
  /** The data the alert was raised on: an operator's total counts as measured when any of its series is. */
  provenance: DataProvenance;
}

interface Watch {
  subject: string;
  operator: OperatorSlug;
  sector: SectorSlug | null;
  outside: number;
  inside: number;
  active: { kind: AlertKind; severity: AlertSeverity; provenance: DataProvenance } | null;
}

const ALL_SIMULATED: readonly SeriesProvenance[] = Array.from({ length: SERIES_COUNT }, () => "simulated");

export class AnomalyDetector {
  private readonly watches: Watch[];

  constructor(private readonly tolerance = BAND_TOLERANCE) {
    // The operator totals come first so that their state is known when the series are judged.
    this.watches = [
      ...OPERATOR_SLUGS.map((operator) => ({ subject: `${operator}:*`, operator, sector: null })),
      ...SERIES.map(({ operator, sector }) => ({ subject: `${operator}:${sector}`, operator, sector })),
    ].map((watch) => ({ ...watch, outside: 0, inside: 0, active: null }));
  }

  /** Judges one full tick (all 21 series, with where each value comes from) against the expected levels for its instant. */
  evaluate(
    atMs: number,
    values: readonly (number | null)[],
    expected: readonly number[],
    provenance: readonly SeriesProvenance[] = ALL_SIMULATED,
  ): AlertEvent[] {
    if (values.length !== SERIES_COUNT || expected.length !== SERIES_COUNT || provenance.length !== SERIES_COUNT) {
      throw new Error(`expected ${SERIES_COUNT} values, expectations and provenances`);
    }
    const events: AlertEvent[] = [];
    const sectors = SECTOR_SLUGS.length;
    this.watches.forEach((watch, watchIndex) => {
      const from = watch.sector === null ? watchIndex * sectors : watchIndex - OPERATOR_SLUGS.length;
      const to = watch.sector === null ? from + sectors : from + 1;
      let source: DataProvenance = "simulated";
      let fresh = true;
      for (let index = from; index < to; index++) {
        if (provenance[index] === "measured") source = "measured";
        else if (provenance[index] !== "simulated") fresh = false;
      }
      if (!fresh) {
        // Stale or no data: nothing new is known. Pause (an open alert stays open) and count afresh later.
        watch.outside = 0;
        watch.inside = 0;
        return;
      }
      if (watch.active && watch.active.provenance !== source) {
        // The data the alert was raised on is gone (measurements expired, or began): it ends here.
        events.push(this.resolvedBySourceChange(watch, atMs, values, expected, from, to));
        watch.active = null;
        watch.outside = 0;
        watch.inside = 0;
        return;
      }
      const observed = sum(values, from, to);
      const expectedLevel = sum(expected, from, to);
      const { low, high } = expectedBand(expectedLevel, this.tolerance);
      const inBand = observed >= low && observed <= high;
      const kind: AlertKind = observed < low ? "drop" : "surge";
      const deviation = expectedLevel === 0 ? 0 : (observed - expectedLevel) / expectedLevel;
      const event = (type: AlertEvent["type"], severity: AlertSeverity, eventKind: AlertKind): AlertEvent => ({
        type,
        subject: watch.subject,
        operator: watch.operator,
        sector: watch.sector,
        kind: eventKind,
        severity,
        observed,
        expected: expectedLevel,
        expectedLow: low,
        expectedHigh: high,
        atMs,
        provenance: source,
      });

      if (inBand) {
        watch.outside = 0;
        watch.inside++;
        if (watch.active && watch.inside >= CLEAR_TICKS) {
          events.push(event("resolved", watch.active.severity, watch.active.kind));
          watch.active = null;
        }
        return;
      }
      watch.inside = 0;
      watch.outside++;
      const severity = severityOf(deviation);
      if (watch.active) {
        if (watch.active.kind === kind && SEVERITY_RANK[severity] > SEVERITY_RANK[watch.active.severity]) {
          watch.active.severity = severity;
          events.push(event("escalated", severity, kind));
        }
        return;
      }
      if (watch.outside < PERSIST_TICKS) return;
      // An operator-wide outage is one alert, not one per sector as well.
      if (watch.sector !== null && this.operatorAlert(watch.operator)?.kind === kind) return;
      watch.active = { kind, severity, provenance: source };
      events.push(event("raised", severity, kind));
    });
    return events;
  }

  private resolvedBySourceChange(
    watch: Watch,
    atMs: number,
    values: readonly (number | null)[],
    expected: readonly number[],
    from: number,
    to: number,
  ): AlertEvent {
    const active = watch.active!;
    const expectedLevel = sum(expected, from, to);
    const { low, high } = expectedBand(expectedLevel, this.tolerance);
    return {
      type: "resolved",
      subject: watch.subject,
      operator: watch.operator,
      sector: watch.sector,
      kind: active.kind,
      severity: active.severity,
      observed: sum(values, from, to),
      expected: expectedLevel,
      expectedLow: low,
      expectedHigh: high,
      atMs,
      provenance: active.provenance,
    };
  }

  private operatorAlert(operator: OperatorSlug) {
    return this.watches[OPERATOR_SLUGS.indexOf(operator)]!.active;
  }
}

function sum(values: readonly (number | null)[], from: number, to: number): number {
  let total = 0;
  for (let index = from; index < to; index++) total += values[index] ?? 0;
  return total;
}

/** The English sentence stored with an alert (screens may word it in their own language). */
export function describeAlert(event: AlertEvent, names: { operator: string; sector: string | null }): string {
  const deviation = event.expected === 0 ? 0 : (event.observed - event.expected) / event.expected;
  const subject = names.sector ? `${names.operator} ${names.sector}` : `${names.operator} (all sectors)`;
  const direction = deviation < 0 ? "below" : "above";
  return (
    `${subject}: ${formatCompactCount(event.observed)} connections, ` +
    `${Math.abs(Math.round(deviation * 100))}% ${direction} the expected ${formatCompactCount(event.expected)} ` +
    `(band ${formatCompactCount(event.expectedLow)}–${formatCompactCount(event.expectedHigh)})`
  );
}
