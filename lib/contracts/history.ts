import { z } from "zod";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";
import { operatorListParam, sectorListParam } from "./filters";
import { instantParam } from "./instant";
import { languageSchema } from "./view";

export const MAX_HISTORY_RANGE_DAYS = 31;
export const MAX_HISTORY_POINTS = 1_500;
const DAY_MS = 86_400_000;

export const historyQuerySchema = z.object({
  from: instantParam.optional(),
  to: instantParam.optional(),
  operator: operatorListParam,
  sector: sectorListParam,
  /** Instead of from/to: the last this many seconds up to the stream's "now". */
  span: z.coerce
    .number({ error: "expected a number of seconds" })
    .int("expected whole seconds")
    .min(60, "expected at least 60 seconds")
    .max(MAX_HISTORY_RANGE_DAYS * 86_400, `expected at most ${MAX_HISTORY_RANGE_DAYS * 86_400} seconds`)
    .optional(),
  /** Most points per series (default 1,000): 1,440 gives a day at one-minute resolution. */
  points: z.coerce
    .number({ error: "expected a number" })
    .int("expected a whole number")
    .min(10, "expected at least 10")
    .max(MAX_HISTORY_POINTS, `expected at most ${MAX_HISTORY_POINTS}`)
    .optional(),
  /** `csv`: the same data as a CSV download (one row per series and bucket), for a chart panel's export. */
  format: z.enum(["json", "csv"], { error: "expected json or csv" }).optional(),
  /** The language of the CSV's header row (English unless asked). */
  lang: languageSchema.optional(),
});

export type HistoryQuery = z.output<typeof historyQuerySchema>;

/**
 * Fills in defaults (the last 24 hours up to `nowMs`) and checks the range, returning either
 * the range or the reason it is not acceptable.
 */
export function resolveHistoryRange(
  query: Pick<HistoryQuery, "from" | "to" | "span">,
  nowMs: number,
): { fromMs: number; toMs: number } | { error: string } {
  if (query.span !== undefined && (query.from !== undefined || query.to !== undefined)) {
    return { error: "give either span or from/to, not both" };
  }
  const toMs = query.to ?? nowMs;
  const fromMs = query.from ?? toMs - (query.span ?? DAY_MS / 1000) * 1000;
  if (fromMs >= toMs) return { error: `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})` };
  const days = (toMs - fromMs) / DAY_MS;
  if (days > MAX_HISTORY_RANGE_DAYS) {
    return { error: `the range is ${Math.round(days * 10) / 10} days; at most ${MAX_HISTORY_RANGE_DAYS} days can be asked for at once` };
  }
  return { fromMs, toMs };
}

/**
 * Where a series' history in the range comes from: every stored minute measured, every one
 * simulated, some of each ("mixed"), or nothing stored ("none"). Stale and no-data time leaves gaps.
 */
export const HISTORY_PROVENANCES = ["measured", "simulated", "mixed", "none"] as const;
export type HistoryProvenance = (typeof HISTORY_PROVENANCES)[number];

/**
 * A long run of numbers (or nulls): a day's answer holds 21 series × 1,440 buckets × 3 of them.
 * Checked in one loop rather than by an element schema per value, which is several times slower
 * and, with the JSON parse, was the longest task on the page's thread when a slow wall device
 * switched to the 24-hour view. Same acceptance: finite numbers (JSON has no others), and nulls
 * only where allowed.
 */
function numberRun<Nullable extends boolean>(nullable: Nullable) {
  const message = nullable ? "expected an array of numbers or nulls" : "expected an array of numbers";
  return z.custom<Nullable extends true ? (number | null)[] : number[]>((value) => {
    if (!Array.isArray(value)) return false;
    for (const each of value) {
      if (typeof each === "number" ? !Number.isFinite(each) : !(nullable && each === null)) return false;
    }
    return true;
  }, message);
}

const historySeriesSchema = z.object({
  operator: operatorSlugSchema,
  sector: sectorSlugSchema,
  provenance: z.enum(HISTORY_PROVENANCES),
  /** One entry per bucket; null where nothing was recorded (the server was not running). */
  mean: numberRun(true),
  min: numberRun(true),
  max: numberRun(true),
});

export const historyResponseSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  resolutionSeconds: z.number().int().positive(),
  /** The series' provenances combined: one kind when they all share it, else "mixed". */
  provenance: z.enum(HISTORY_PROVENANCES),
  /** Start of each bucket, ms since 1970; shared by every series. */
  buckets: numberRun(false),
  series: z.array(historySeriesSchema),
});

export type HistoryResponse = z.infer<typeof historyResponseSchema>;
export type HistorySeries = z.infer<typeof historySeriesSchema>;
