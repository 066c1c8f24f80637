import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import {
  ANNUAL_GROWTH_PCT,
  CHINA_CONNECTIONS_2013_MILLIONS,
  OPERATOR_SHARE_PCT,
  SECTOR_SHARE_PCT,
} from "@/lib/domain/assumptions";
import { SERIES, SERIES_COUNT } from "@/lib/domain/series";
import {
  incidentEffect,
  incidentFactor,
  incidentTouches,
  scheduledIncidentsAt,
  type Incident,
} from "./incidents";
import { hashString, smoothNoise, unit } from "./random";
import { chinaLocalTime, sectorRhythm } from "./rhythms";

/**
 * The connection model replays China's 2013 M2M network (the report's scale) as if it were
 * running today: on SIMULATION_EPOCH every series stands at its assumed share of the 2013
 * base, and grows from there at the assumed annual rate. Everything it produces is simulated.
 */
export const SIMULATION_EPOCH_MS = Date.UTC(2026, 0, 1);
const YEAR_MS = 365.25 * 86_400_000;

/** Level of each series on SIMULATION_EPOCH, before the daily rhythm. */
const EPOCH_LEVELS: readonly number[] = SERIES.map(
  ({ operator, sector }) =>
    CHINA_CONNECTIONS_2013_MILLIONS.value *
    1_000_000 *
    (OPERATOR_SHARE_PCT.value[operator] / 100) *
    (SECTOR_SHARE_PCT.value[sector] / 100),
);

const growthAt = (instantMs: number) =>
  Math.pow(1 + ANNUAL_GROWTH_PCT.value / 100, (instantMs - SIMULATION_EPOCH_MS) / YEAR_MS);

/** Relative amplitude of each noise layer: slow drift, faster wander, per-second jitter. */
const NOISE = { drift: 0.004, wander: 0.0018, jitter: 0.0006 } as const;

/**
 * What each of the 21 series should be at `instantMs`: growth × share × the sector's rhythm,
 * without noise or incidents. It does not depend on the seed, so screens compute the same
 * expected band as the server's alert detector.
 */
export function expectedLevels(instantMs: number): number[] {
  const time = chinaLocalTime(instantMs);
  const growth = growthAt(instantMs);
  const rhythms = SECTOR_SLUGS.map((sector) => sectorRhythm(sector, time));
  return SERIES.map((_, index) => EPOCH_LEVELS[index]! * growth * rhythms[index % SECTOR_SLUGS.length]!);
}

/**
 * The mean expected level over `[fromMs, fromMs + spanMs)`, to compare with a history bucket
 * (whose values are means); the same as expectedLevels for a span of 0.
 */
export function expectedMeanLevels(fromMs: number, spanMs: number, samples = 6): number[] {
  if (spanMs <= 0) return expectedLevels(fromMs);
  const sum = new Array<number>(SERIES_COUNT).fill(0);
  for (let sample = 0; sample < samples; sample++) {
    expectedLevels(fromMs + ((sample + 0.5) * spanMs) / samples).forEach((level, index) => (sum[index]! += level));
  }
  return sum.map((total) => total / samples);
}

export class ConnectionModel {
  readonly seed: number;

  constructor(seed: string) {
    this.seed = hashString(seed);
  }

  /** What each series should be at `instantMs` (see expectedLevels). */
  expectedAt(instantMs: number): number[] {
    return expectedLevels(instantMs);
  }

  /** Incidents in effect at `instantMs`: the scheduled ones plus any `manual` ones. */
  incidentsAt(instantMs: number, manual: readonly Incident[] = []): Incident[] {
    const active = manual.filter((incident) => incidentEffect(incident, instantMs) > 0);
    return [...scheduledIncidentsAt(this.seed, instantMs), ...active];
  }

  /** Live connection counts of the 21 series at `instantMs`, as whole numbers. */
  valuesAt(instantMs: number, manual: readonly Incident[] = []): number[] {
    const expected = this.expectedAt(instantMs);
    const incidents = this.incidentsAt(instantMs, manual);
    const second = Math.floor(instantMs / 1000);
    const values = new Array<number>(SERIES_COUNT);
    for (let index = 0; index < SERIES_COUNT; index++) {
      const noise =
        1 +
        NOISE.drift * smoothNoise(this.seed, index, instantMs / 90_000) +
        NOISE.wander * smoothNoise(this.seed, index + 100, instantMs / 8_000) +
        NOISE.jitter * (unit(this.seed, index + 200, second) * 2 - 1);
      let level = expected[index]! * noise;
      for (const incident of incidents) {
        if (incidentTouches(incident, index)) level *= incidentFactor(incident, incidentEffect(incident, instantMs));
      }
      values[index] = Math.max(0, Math.round(level));
    }
    return values;
  }
}

export interface Totals {
  total: number;
  byOperator: number[];
  bySector: number[];
}

/** Totals of a full tick (all 21 series): overall, per operator and per sector. */
export function totalsOf(values: readonly number[]): Totals {
  const byOperator = OPERATOR_SLUGS.map(() => 0);
  const bySector = SECTOR_SLUGS.map(() => 0);
  let total = 0;
  values.forEach((value, index) => {
    byOperator[Math.floor(index / SECTOR_SLUGS.length)]! += value;
    bySector[index % SECTOR_SLUGS.length]! += value;
    total += value;
  });
  return { total, byOperator, bySector };
}
