import { MAX_SAMPLE_CONNECTIONS, type Sample } from "@/lib/contracts/ingest";
import { parseLine, type FieldValue, type NumberedLine, type Point } from "./line-protocol";
import {
  BatchCollector,
  connectionsProblem,
  describeUnknownOperator,
  describeUnknownSector,
  instantProblem,
  isOperatorSlug,
  isSectorSlug,
  type CheckedBatch,
  type IngestClock,
} from "./samples";

/**
 * The line-protocol way in: measurement `m2m_connections`, tags `operator` and `sector` (other
 * tags, such as the `host` Telegraf adds, are ignored), field `value` an integer (`9512345i` or
 * `…u`) or a float with no fraction (`9512345`); other fields are ignored. The timestamp is in
 * the request's `precision` (default ns); a line without one is taken as measured at the server's
 * clock, as InfluxDB does.
 */
export const MEASUREMENT = "m2m_connections";
export const PRECISIONS = ["ns", "us", "ms", "s"] as const;
export type Precision = (typeof PRECISIONS)[number];

/** A timestamp in `precision` as whole milliseconds (finer digits are cut: a sample is identified to the millisecond). */
function toMilliseconds(timestamp: bigint, precision: Precision): number {
  switch (precision) {
    case "ns":
      return Number(timestamp / 1_000_000n);
    case "us":
      return Number(timestamp / 1_000n);
    case "ms":
      return Number(timestamp);
    case "s":
      return Number(timestamp * 1_000n);
  }
}

/** Inverse of toMilliseconds for whole milliseconds (the replay tool writes lines with it). */
export function fromMilliseconds(ms: number, precision: Precision): bigint {
  const whole = BigInt(Math.trunc(ms));
  switch (precision) {
    case "ns":
      return whole * 1_000_000n;
    case "us":
      return whole * 1_000n;
    case "ms":
      return whole;
    case "s":
      return whole / 1_000n;
  }
}

function countOf(value: FieldValue): number | string {
  if (value.type === "integer" || value.type === "uinteger") {
    if (value.value < 0n) return `value must not be negative (got ${value.value})`;
    if (value.value > BigInt(MAX_SAMPLE_CONNECTIONS)) return `value must be at most ${MAX_SAMPLE_CONNECTIONS} (got ${value.value})`;
    return Number(value.value);
  }
  if (value.type === "float") return connectionsProblem(value.value) ?? value.value;
  return `value must be a number of connections, not a ${value.type}`;
}

type PointResult = { sample: Sample } | { reason: string };

function checkPoint(point: Point, precision: Precision, clock: IngestClock): PointResult {
  if (point.measurement !== MEASUREMENT) return { reason: `measurement ${JSON.stringify(point.measurement.slice(0, 60))} is not ${MEASUREMENT}` };
  const operator = point.tags.get("operator");
  const sector = point.tags.get("sector");
  if (operator === undefined) return { reason: "missing tag operator" };
  if (!isOperatorSlug(operator)) return { reason: describeUnknownOperator(operator) };
  if (sector === undefined) return { reason: "missing tag sector" };
  if (!isSectorSlug(sector)) return { reason: describeUnknownSector(sector) };
  const field = point.fields.get("value");
  if (field === undefined) return { reason: "missing field value" };
  const connections = countOf(field);
  if (typeof connections === "string") return { reason: connections };
  const atMs = point.timestamp === null ? clock.nowMs : toMilliseconds(point.timestamp, precision);
  const windowProblem = instantProblem(atMs, clock);
  if (windowProblem) return { reason: windowProblem };
  return { sample: { operator, sector, connections, atMs } };
}

/**
 * A line-protocol body's point lines (from pointLines: the caller counts them first, and answers
 * 413 past the batch limit) split into samples, refusals (by line) and repeats within the body.
 */
export function checkInfluxLines(lines: readonly NumberedLine[], precision: Precision, clock: IngestClock): CheckedBatch {
  const batch = new BatchCollector();
  for (const { line, text } of lines) {
    const parsed = parseLine(text);
    if (!parsed.ok) {
      batch.refuse({ line, reason: parsed.reason });
      continue;
    }
    const result = checkPoint(parsed.point, precision, clock);
    if ("reason" in result) batch.refuse({ line, reason: result.reason });
    else batch.add(result.sample);
  }
  return batch.result();
}
