import type { Sample } from "@/lib/contracts/ingest";
import { MEASUREMENT, type Precision } from "./influx";
import { parseIsoInstant } from "./json-batch";
import { parseLine, pointLines } from "./line-protocol";
import { connectionsProblem, describeUnknownOperator, describeUnknownSector, isOperatorSlug, isSectorSlug } from "./samples";

/**
 * What the replay tool (cli/replay.ts) does that is not I/O: reading a recorded feed (CSV or line
 * protocol), restamping it to start now, cutting it into batches that fall due, and deciding
 * whether and when to retry a failed send.
 */

/** A feed line that could not be read: the tool stops before sending anything. */
export class FeedError extends Error {
  override name = "FeedError";
}

const toTimestamp = (raw: string, precision: Precision): number => {
  const value = BigInt(raw);
  const perMs = { ns: 1_000_000n, us: 1_000n, ms: 1n, s: 0n }[precision];
  return precision === "s" ? Number(value * 1000n) : Number(value / perMs);
};

/**
 * A CSV feed: a header naming operator, sector, connections and at (in any order), then one
 * sample a line; `at` ISO 8601 with offset or epoch milliseconds.
 */
export function parseCsvFeed(text: string): Sample[] {
  const lines = text.split(/\r?\n/).map((line, index) => ({ number: index + 1, text: line.trim() })).filter((line) => line.text !== "" && !line.text.startsWith("#"));
  const header = lines.shift();
  if (!header) throw new FeedError("the CSV feed is empty");
  const columns = header.text.split(",").map((name) => name.trim().toLowerCase());
  const position = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new FeedError(`line ${header.number}: the CSV header has no '${name}' column (expected operator,sector,connections,at)`);
    return index;
  };
  const at = { operator: position("operator"), sector: position("sector"), connections: position("connections"), at: position("at") };
  return lines.map(({ number, text: line }) => {
    const cells = line.split(",").map((cell) => cell.trim());
    const operator = cells[at.operator] ?? "";
    const sector = cells[at.sector] ?? "";
    const connections = Number(cells[at.connections]);
    const instant = cells[at.at] ?? "";
    if (!isOperatorSlug(operator)) throw new FeedError(`line ${number}: ${describeUnknownOperator(operator)}`);
    if (!isSectorSlug(sector)) throw new FeedError(`line ${number}: ${describeUnknownSector(sector)}`);
    const problem = cells[at.connections] === "" ? "connections is empty" : connectionsProblem(connections);
    if (problem) throw new FeedError(`line ${number}: ${problem}`);
    const atMs = /^\d+$/.test(instant) ? Number(instant) : parseIsoInstant(instant);
    if (atMs === null || !Number.isSafeInteger(atMs)) throw new FeedError(`line ${number}: at '${instant.slice(0, 40)}' is not ISO 8601 with an offset nor epoch milliseconds`);
    return { operator, sector, connections, atMs };
  });
}

/** A line-protocol feed (m2m_connections lines, timestamps in `precision`, each line with one). */
export function parseLineProtocolFeed(text: string, precision: Precision = "ns"): Sample[] {
  return pointLines(text).map(({ line, text: raw }) => {
    const parsed = parseLine(raw);
    if (!parsed.ok) throw new FeedError(`line ${line}: ${parsed.reason}`);
    const { point } = parsed;
    if (point.measurement !== MEASUREMENT) throw new FeedError(`line ${line}: measurement is not ${MEASUREMENT}`);
    const operator = point.tags.get("operator") ?? "";
    const sector = point.tags.get("sector") ?? "";
    if (!isOperatorSlug(operator)) throw new FeedError(`line ${line}: ${describeUnknownOperator(operator)}`);
    if (!isSectorSlug(sector)) throw new FeedError(`line ${line}: ${describeUnknownSector(sector)}`);
    const field = point.fields.get("value");
    const connections = field?.type === "integer" || field?.type === "uinteger" ? Number(field.value) : field?.type === "float" ? field.value : Number.NaN;
    const problem = connectionsProblem(connections);
    if (problem) throw new FeedError(`line ${line}: ${problem}`);
    if (point.timestamp === null) throw new FeedError(`line ${line}: a recorded feed needs a timestamp on every line`);
    return { operator, sector, connections, atMs: toTimestamp(point.timestamp.toString(), precision) };
  });
}

/** A batch to send, and when (ms since the epoch) it falls due. */
export interface DueBatch {
  dueMs: number;
  samples: Sample[];
}

/**
 * The feed restamped so that its first sample lands at `startMs` and a later one at
 * startMs + (at − first) / speed, in time order, cut into batches of the samples that fall due
 * together (at most `maxBatch` each). Whole milliseconds, so a sample's identity is stable.
 */
export function planReplay(feed: readonly Sample[], startMs: number, speed: number, maxBatch = 1000): DueBatch[] {
  if (feed.length === 0) return [];
  const sorted = [...feed].sort((a, b) => a.atMs - b.atMs);
  const firstMs = sorted[0]!.atMs;
  const batches: DueBatch[] = [];
  for (const sample of sorted) {
    const atMs = Math.round(startMs + (sample.atMs - firstMs) / speed);
    const last = batches[batches.length - 1];
    const restamped = { ...sample, atMs };
    if (last && last.dueMs === atMs && last.samples.length < maxBatch) last.samples.push(restamped);
    else batches.push({ dueMs: atMs, samples: [restamped] });
  }
  return batches;
}

/** The feed as recorded (no restamping), in batches of `maxBatch`, all due at once. */
export function batchAsRecorded(feed: readonly Sample[], maxBatch = 1000): DueBatch[] {
  const batches: DueBatch[] = [];
  for (let index = 0; index < feed.length; index += maxBatch) batches.push({ dueMs: 0, samples: feed.slice(index, index + maxBatch) });
  return batches;
}

export const RETRY_BASE_MS = 500;
export const RETRY_MAX_MS = 30_000;
export const MAX_ATTEMPTS = 8;

/**
 * How long to wait before trying a send again, or null not to: 5xx, 429 and network failures
 * (status null) are retried with exponential backoff (a 429's Retry-After is honoured); any other
 * 4xx is the request's own fault and is never retried. `attempt` counts from 1.
 */
export function retryDelayMs(attempt: number, status: number | null, retryAfter: string | null): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  if (status !== null && status < 500 && status !== 429) return null;
  const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  if (status === 429 && retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Math.min(RETRY_MAX_MS * 4, Number(retryAfter) * 1000);
  return backoff;
}
