import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { AlertKind, AlertSeverity } from "@/lib/contracts/alerts";
import { formatCompactCount } from "./format";
import { SERIES, SERIES_COUNT } from "./series";

/**
 * Decides when a series has left its expected band. The expected level comes from the report
 * baselines and assumptions (growth × share × daily rhythm); recent behaviour decides whether
 * a departure is real: it must persist for several ticks before it raises an alert, and the
 * series must stay back inside for longer before the alert resolves (no flapping).
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
}

interface Watch {
  subject: string;
  operator: OperatorSlug;
  sector: SectorSlug | null;
  outside: number;
  inside: number;
  active: { kind: AlertKind; severity: AlertSeverity } | null;
}

export class AnomalyDetector {
  private readonly watches: Watch[];

  constructor(private readonly tolerance = BAND_TOLERANCE) {
    // The operator totals come first so that their state is known when the series are judged.
    this.watches = [
      ...OPERATOR_SLUGS.map((operator) => ({ subject: `${operator}:*`, operator, sector: null })),
      ...SERIES.map(({ operator, sector }) => ({ subject: `${operator}:${sector}`, operator, sector })),
    ].map((watch) => ({ ...watch, outside: 0, inside: 0, active: null }));
  }

  /** Judges one full tick (all 21 series) against the expected levels for its instant. */
  evaluate(atMs: number, values: readonly number[], expected: readonly number[]): AlertEvent[] {
    if (values.length !== SERIES_COUNT || expected.length !== SERIES_COUNT) {
      throw new Error(`expected ${SERIES_COUNT} values and expectations`);
    }
    const events: AlertEvent[] = [];
    const sectors = SECTOR_SLUGS.length;
    this.watches.forEach((watch, watchIndex) => {
      let observed: number;
      let expectedLevel: number;
      if (watch.sector === null) {
        const from = watchIndex * sectors;
        observed = sum(values, from, from + sectors);
        expectedLevel = sum(expected, from, from + sectors);
      } else {
        const seriesIndex = watchIndex - OPERATOR_SLUGS.length;
        observed = values[seriesIndex]!;
        expectedLevel = expected[seriesIndex]!;
      }
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
      watch.active = { kind, severity };
      events.push(event("raised", severity, kind));
    });
    return events;
  }

  private operatorAlert(operator: OperatorSlug) {
    return this.watches[OPERATOR_SLUGS.indexOf(operator)]!.active;
  }
}

function sum(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let index = from; index < to; index++) total += values[index]!;
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
