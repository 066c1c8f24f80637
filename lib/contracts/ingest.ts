import type { OperatorSlug, SectorSlug } from "./catalog";

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
