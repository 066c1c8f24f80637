import { z } from "zod";
import type { Alert } from "./alerts";
import { OPERATOR_SLUGS, SECTOR_SLUGS, operatorSlugSchema, sectorSlugSchema, type OperatorSlug, type SectorSlug } from "./catalog";

/**
 * The socket.io protocol between the server and every client (browser, `npm run watch`).
 * docs/PROTOCOL.md describes each event with an example. Event names are `entity:verb`.
 */

/** What a client asks to see. An empty list means every operator (or sector). */
export const streamFilterSchema = z
  .object({
    operators: z.array(operatorSlugSchema).max(OPERATOR_SLUGS.length).default([]),
    sectors: z.array(sectorSlugSchema).max(SECTOR_SLUGS.length).default([]),
  })
  .strict();

/** The most ticks a snapshot carries (15 minutes at the default 1 s tick). */
export const MAX_SNAPSHOT_TICKS = 900;

export const subscribeRequestSchema = z
  .object({
    filter: streamFilterSchema,
    /** The last sequence number this client holds; the server then sends only what came after. */
    since: z.number().int().nonnegative().optional(),
    /** How many recent ticks the snapshot should carry (default 300). */
    snapshotTicks: z.number().int().min(0).max(MAX_SNAPSHOT_TICKS).optional(),
  })
  .strict();

export type StreamFilter = z.infer<typeof streamFilterSchema>;
export type SubscribeRequest = z.input<typeof subscribeRequestSchema>;

/**
 * One tick: sequence number, the instant the values describe (ms since the Unix epoch; the
 * server's clock, or simulated time when the simulator runs faster than real time), and the
 * connection counts of the subscribed series in the order the subscription listed them.
 * Short keys: this is the one message sent every second to every screen.
 */
export interface Tick {
  s: number;
  t: number;
  v: number[];
}

export interface SeriesRef {
  operator: OperatorSlug;
  sector: SectorSlug;
}

export interface StreamSubscribed {
  /**
   * "snapshot": `ticks` is the recent window and replaces whatever the client held.
   * "resume": `ticks` are exactly the ones after `since`, to append.
   */
  mode: "snapshot" | "resume";
  filter: StreamFilter;
  /** The series each tick's `v` carries, in order. */
  series: SeriesRef[];
  ticks: Tick[];
  /** Where the values come from; today always the simulator. */
  provenance: "simulated" | "measured";
}

export const CLIENT_ERROR_CODES = ["bad_request", "rate_limited", "unavailable"] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type Acknowledgement<T> = { ok: true; data: T } | { ok: false; error: { code: ClientErrorCode; message: string } };

export interface ServerInfo {
  version: string;
  /** Identifies the build; a screen that sees it change reloads onto the new one. */
  buildId: string;
  tickMs: number;
  /** Simulated seconds per real second. */
  speed: number;
  provenance: "simulated" | "measured";
}

export interface ServerToClientEvents {
  "server:hello": (info: ServerInfo) => void;
  "stream:tick": (tick: Tick) => void;
  "alert:raised": (alert: Alert) => void;
  "alert:updated": (alert: Alert) => void;
  "alert:resolved": (alert: Alert) => void;
  /** A message the server could not answer through an acknowledgement. */
  "client:error": (error: { code: ClientErrorCode; message: string }) => void;
}

export interface ClientToServerEvents {
  "stream:subscribe": (request: SubscribeRequest, ack: (response: Acknowledgement<StreamSubscribed>) => void) => void;
  "stream:unsubscribe": (ack: (response: Acknowledgement<{ unsubscribed: true }>) => void) => void;
}

/** Client events the server knows; anything else is refused. */
export const CLIENT_EVENTS = ["stream:subscribe", "stream:unsubscribe"] as const satisfies readonly (keyof ClientToServerEvents)[];
