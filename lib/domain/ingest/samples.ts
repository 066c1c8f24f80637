import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import { MAX_SAMPLE_CONNECTIONS, type Sample } from "@/lib/contracts/ingest";

/**
 * What every way in shares once a sample is read: its series, its count and its instant are
 * checked, and a batch is split into samples to store and refusals, each with a reason.
 *
 * The policy is per item: a refused item is skipped (and reported), the valid items of the same
 * batch are stored. Nothing is stored half-valid: a sample either passes every check or is refused.
 */

/** The most samples one HTTP request may carry (JSON items or line-protocol lines); more is a 413. */
export const MAX_SAMPLES_PER_BATCH = 5_000;
/** The most refusals an answer lists one by one; the count covers them all. */
export const MAX_REPORTED_REFUSALS = 100;

/** The instant a batch is judged against, and how far back and ahead a sample may be. */
export interface IngestClock {
  /** The server's clock when the batch arrived (ms since the epoch). */
  nowMs: number;
  /** INGEST_LATE_WINDOW_MINUTES in ms: older samples are refused. */
  lateWindowMs: number;
  /** INGEST_MAX_SKEW_SECONDS in ms: samples further ahead than this are refused. */
  maxSkewMs: number;
}

/** A refused item: its 0-based index in a JSON batch, or its 1-based line in a line-protocol body. */
export type Refusal = { index: number; reason: string } | { line: number; reason: string };

/** A batch split: what may be stored, what is refused, and the repeats inside the batch itself. */
export interface CheckedBatch {
  samples: Sample[];
  refused: Refusal[];
  /** Repeats of a (series, instant) earlier in the same batch: counted as duplicates, stored once (the first). */
  duplicates: number;
}

const OPERATORS = new Set<string>(OPERATOR_SLUGS);
const SECTORS = new Set<string>(SECTOR_SLUGS);

export const isOperatorSlug = (value: string): value is OperatorSlug => OPERATORS.has(value);
export const isSectorSlug = (value: string): value is SectorSlug => SECTORS.has(value);

const quote = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

export function describeUnknownOperator(value: string): string {
  return `unknown operator ${quote(value)}; expected one of ${OPERATOR_SLUGS.join(", ")}`;
}

export function describeUnknownSector(value: string): string {
  return `unknown sector ${quote(value)}; expected one of ${SECTOR_SLUGS.join(", ")}`;
}

/** Why a count cannot be stored, or null. */
export function connectionsProblem(value: number): string | null {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return `connections must be a whole number (got ${value})`;
  if (value < 0) return `connections must not be negative (got ${value})`;
  if (value > MAX_SAMPLE_CONNECTIONS) return `connections must be at most ${MAX_SAMPLE_CONNECTIONS} (got ${value})`;
  return null;
}

/** Why an instant is outside the accepted window, or null. */
export function instantProblem(atMs: number, clock: IngestClock): string | null {
  if (!Number.isFinite(atMs)) return "the instant is not a valid time";
  const iso = (ms: number) => (Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));
  if (atMs < clock.nowMs - clock.lateWindowMs) {
    return `too late: ${iso(atMs)} is more than ${Math.round(clock.lateWindowMs / 60_000)} minutes before the server's clock (${iso(clock.nowMs)})`;
  }
  if (atMs > clock.nowMs + clock.maxSkewMs) {
    return `in the future: ${iso(atMs)} is more than ${Math.round(clock.maxSkewMs / 1000)} s after the server's clock (${iso(clock.nowMs)})`;
  }
  return null;
}

/**
 * Collects samples in arrival order, keeping the first of each (series, instant) and counting the
 * repeats, so that a batch is written once per sample whatever it repeats.
 */
export class BatchCollector {
  private readonly seen = new Set<string>();
  readonly samples: Sample[] = [];
  readonly refused: Refusal[] = [];
  duplicates = 0;

  add(sample: Sample): void {
    const key = `${sample.operator}|${sample.sector}|${sample.atMs}`;
    if (this.seen.has(key)) {
      this.duplicates++;
      return;
    }
    this.seen.add(key);
    this.samples.push(sample);
  }

  refuse(refusal: Refusal): void {
    this.refused.push(refusal);
  }

  result(): CheckedBatch {
    return { samples: this.samples, refused: this.refused, duplicates: this.duplicates };
  }
}

/**
 * The operators in `samples` that a key limited to `allowed` may not write (empty `allowed`:
 * every operator is allowed). A batch with any of them is refused whole (403): a key's scope is
 * a matter of authorisation, decided per request, not per sample.
 */
export function operatorsOutsideScope(samples: readonly Sample[], allowed: readonly string[]): OperatorSlug[] {
  if (allowed.length === 0) return [];
  const scope = new Set(allowed);
  return [...new Set(samples.map((sample) => sample.operator).filter((operator) => !scope.has(operator)))];
}
