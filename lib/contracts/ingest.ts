import { z } from "zod";
import { operatorSlugSchema, type OperatorSlug, type SectorSlug } from "./catalog";

/**
 * Real measurements in (issue 11): the vocabulary the ingest endpoints, the MQTT subscriber, the
 * database and the live stream share. The HTTP and line-protocol parsers live in lib/domain/ingest.
 */

/** The biggest count a sample may carry: rollups and ticks store 32-bit integers. */
export const MAX_SAMPLE_CONNECTIONS = 2_147_483_647;

/** Where a sample came in. */
export const SAMPLE_SOURCES = ["http", "influx", "mqtt"] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

/** One measurement of one of the 21 operator × sector series, validated. */
export interface Sample {
  operator: OperatorSlug;
  sector: SectorSlug;
  /** A non-negative integer, at most MAX_SAMPLE_CONNECTIONS. */
  connections: number;
  /** The instant measured, ms since the Unix epoch. */
  atMs: number;
}

/** A sample as stored: when this server accepted it (the live stream shows it from then on) and how it came. */
export interface StoredSample extends Sample {
  receivedAtMs: number;
  source: SampleSource;
}

/**
 * Where a series' live value comes from, per series and per tick:
 * - "measured": the latest measured sample, held until the next one;
 * - "stale": measured, but no sample for longer than the staleness limit (the last value is held
 *   and shown as stale, never refilled by the simulator);
 * - "simulated": the simulator (nobody measures it, or its samples stopped long ago);
 * - "none": no data (nobody measures it and the simulator is off).
 */
export const SERIES_PROVENANCES = ["measured", "stale", "simulated", "none"] as const;
export type SeriesProvenance = (typeof SERIES_PROVENANCES)[number];

/** One refused item of a batch: its 0-based index (JSON) or 1-based line (line protocol), and why. */
export const ingestRefusalSchema = z.union([
  z.object({ index: z.number().int(), reason: z.string() }),
  z.object({ line: z.number().int(), reason: z.string() }),
]);

/**
 * The 202 of POST /api/ingest and /api/ingest/influx, sent once the batch is committed:
 * accepted (stored now), duplicate (already stored, or repeated within the batch: not stored
 * twice) and refused (with the first MAX_REPORTED_REFUSALS reasons in `errors`).
 */
export const ingestAnswerSchema = z.object({
  accepted: z.number().int(),
  duplicate: z.number().int(),
  refused: z.number().int(),
  errors: z.array(ingestRefusalSchema),
});
export type IngestAnswer = z.infer<typeof ingestAnswerSchema>;

/** An ingest key as listed: never its secret, which is shown once, at creation. */
export const ingestKeySchema = z.object({
  id: z.number().int(),
  label: z.string(),
  /** The operators it may write; empty: every operator. */
  operators: z.array(operatorSlugSchema),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type IngestKey = z.infer<typeof ingestKeySchema>;

export const createIngestKeySchema = z
  .object({
    label: z.string().trim().min(1, "expected a label").max(80, "expected at most 80 characters"),
    operators: z.array(operatorSlugSchema).max(3).default([]),
  })
  .strict();

export const createdIngestKeySchema = z.object({ key: ingestKeySchema, secret: z.string() });
export const ingestKeysResponseSchema = z.object({ keys: z.array(ingestKeySchema) });
export const ingestKeyResponseSchema = z.object({ key: ingestKeySchema });
