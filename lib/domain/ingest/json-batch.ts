import type { Sample } from "@/lib/contracts/ingest";
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
 * The JSON way in: `{ "samples": [ { "operator", "sector", "connections", "at" }, … ] }`.
 *
 * `at` is either an ISO 8601 date-time WITH its offset (`2026-11-26T17:00:00Z`,
 * `2026-11-27T01:00:00.250+08:00`; seconds and up to 9 fraction digits optional, the fraction cut
 * to milliseconds), or a number of milliseconds since the Unix epoch. A date-time without an
 * offset is refused: it would mean a different instant on every machine. Other keys in an item
 * are ignored.
 */

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Milliseconds since the epoch of an ISO 8601 date-time with offset, or null when it is not one. */
export function parseIsoInstant(text: string): number | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = "0", fraction = "", zulu, sign, offsetHours = "0", offsetMinutes = "0"] = match;
  const parts = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.hour > 23 || parts.minute > 59 || parts.second > 59) return null;
  const daysInMonth = new Date(Date.UTC(parts.year, parts.month, 0)).getUTCDate();
  if (parts.day > daysInMonth) return null;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
  const ms = Number(fraction.padEnd(3, "0").slice(0, 3));
  let utc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, ms);
  // Date.UTC maps years 0–99 to 1900–1999.
  if (parts.year < 100) utc = new Date(utc).setUTCFullYear(parts.year);
  if (!zulu) utc -= (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return utc;
}

type ItemResult = { sample: Sample } | { reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** One item of a JSON batch, checked against the catalog, the count's range and the clock. */
export function checkJsonSample(item: unknown, clock: IngestClock): ItemResult {
  if (!isRecord(item)) return { reason: "expected an object { operator, sector, connections, at }" };
  const { operator, sector, connections, at } = item;
  const missing = (["operator", "sector", "connections", "at"] as const).filter((key) => item[key] === undefined || item[key] === null);
  if (missing.length > 0) return { reason: `missing ${missing.join(", ")}` };
  if (typeof operator !== "string") return { reason: "operator must be a string" };
  if (!isOperatorSlug(operator)) return { reason: describeUnknownOperator(operator) };
  if (typeof sector !== "string") return { reason: "sector must be a string" };
  if (!isSectorSlug(sector)) return { reason: describeUnknownSector(sector) };
  if (typeof connections !== "number") return { reason: "connections must be a number" };
  const countProblem = connectionsProblem(connections);
  if (countProblem) return { reason: countProblem };
  let atMs: number;
  if (typeof at === "number") {
    if (!Number.isSafeInteger(at)) return { reason: `at must be whole milliseconds since the epoch (got ${at})` };
    atMs = at;
  } else if (typeof at === "string") {
    const parsed = at.length <= 40 ? parseIsoInstant(at) : null;
    if (parsed === null) {
      return { reason: `at ${JSON.stringify(at.slice(0, 40))} is not an ISO 8601 date-time with an offset (e.g. 2026-11-26T17:00:00Z) nor milliseconds since the epoch` };
    }
    atMs = parsed;
  } else {
    return { reason: "at must be an ISO 8601 string or milliseconds since the epoch" };
  }
  const windowProblem = instantProblem(atMs, clock);
  if (windowProblem) return { reason: windowProblem };
  return { sample: { operator, sector, connections, atMs } };
}

/** A JSON batch's items split into samples, refusals (by index) and repeats within the batch. */
export function checkJsonBatch(items: readonly unknown[], clock: IngestClock): CheckedBatch {
  const batch = new BatchCollector();
  items.forEach((item, index) => {
    const result = checkJsonSample(item, clock);
    if ("sample" in result) batch.add(result.sample);
    else batch.refuse({ index, reason: result.reason });
  });
  return batch.result();
}
