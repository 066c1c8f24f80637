import { z } from "zod";
import type { Alert } from "./alerts";
import { SERIES_PROVENANCES, type SeriesProvenance } from "./ingest";
import type { Heartbeat } from "./displays";
import { operatorListParam, sectorListParam, seriesFilterSchema, seriesRefSchema } from "./filters";

/**
 * The socket.io protocol between the server and every client (browser, `npm run watch`).
 * docs/PROTOCOL.md describes each event with an example. Event names are `entity:verb`.
 */

/** The most ticks a snapshot carries (15 minutes at the default 1 s tick). */
export const MAX_SNAPSHOT_TICKS = 900;

export const subscribeRequestSchema = z
  .object({
    /** What the client asks to see. */
    filter: seriesFilterSchema,
    /**
     * The server sends only the ticks after this sequence number. The product's client sends the one
     * before its last tick, so that the answer repeats that last tick as it stands now (it may have
     * been revised while the client was away).
     */
    since: z.number().int().nonnegative().optional(),
    /** How many recent ticks the snapshot should carry (default 300). */
    snapshotTicks: z.number().int().min(0).max(MAX_SNAPSHOT_TICKS).optional(),
  })
  .strict();

export type SubscribeRequest = z.input<typeof subscribeRequestSchema>;

/**
 * Per-series provenance on the wire: one letter per subscribed series, in the order of `v`
 * ("mmss…"): m measured, h stale (a measured value held past the staleness limit), s simulated,
 * n no data. A string of 21 letters costs 23 bytes, and is only sent when it changes.
 */
export const PROVENANCE_CODES = { measured: "m", stale: "h", simulated: "s", none: "n" } as const satisfies Record<SeriesProvenance, string>;
const PROVENANCE_OF_CODE = Object.fromEntries(SERIES_PROVENANCES.map((provenance) => [PROVENANCE_CODES[provenance], provenance])) as Record<string, SeriesProvenance>;

export function encodeProvenance(provenances: readonly SeriesProvenance[]): string {
  return provenances.map((provenance) => PROVENANCE_CODES[provenance]).join("");
}

/** The provenance of series `index` in a tick's `p` ("simulated" where the string is short, as from an older server). */
export function provenanceAt(codes: string | undefined, index: number): SeriesProvenance {
  return PROVENANCE_OF_CODE[codes?.[index] ?? "s"] ?? "simulated";
}

export const provenanceCodesSchema = z.string().max(64).regex(/^[mhsn]*$/, "expected one of m, h, s, n per series");

/**
 * One tick: sequence number, the instant the values describe (ms since the Unix epoch; the
 * server's clock, or simulated time when the simulator runs faster than real time), and the
 * connection counts of the subscribed series in the order the subscription listed them (null:
 * no data, see `p`). `p`: the series' provenance (see PROVENANCE_CODES), present on the first
 * tick of every subscription answer and on every tick where it differs from the tick before;
 * a tick without `p` has its predecessor's. Short keys: this is the one message sent every
 * second to every screen.
 *
 * A **revision**: a `stream:tick` whose `s` equals that of the last tick sent is the same tick
 * again, with measured samples accepted after it went out (docs/PROTOCOL.md#revisions). It replaces
 * that tick; it always carries `p`; only the rooms whose series it changes get it.
 */
export const tickSchema = z.object({ s: z.number().int(), t: z.number(), v: z.array(z.number().nullable()), p: provenanceCodesSchema.optional() });
export type Tick = z.infer<typeof tickSchema>;

/**
 * Writes every tick's `p` out in full (what a tick without one inherits), starting from
 * `carried` (the provenance of the tick before the first): what the browser keeps, so any tick
 * of a window can be read alone. The strings are shared, not copied.
 */
export function withProvenance(ticks: readonly Tick[], carried?: string): Tick[] {
  let current = carried;
  return ticks.map((tick) => {
    if (tick.p !== undefined) {
      current = tick.p;
      return tick;
    }
    return current === undefined ? tick : { ...tick, p: current };
  });
}

export const streamSubscribedSchema = z.object({
  /**
   * "snapshot": `ticks` is the recent window and replaces whatever the client held.
   * "resume": `ticks` are exactly the ones after `since`, to append (a first one with the `s` of
   * the client's last tick replaces it, like a revision).
   */
  mode: z.enum(["snapshot", "resume"]),
  filter: seriesFilterSchema,
  /** The series each tick's `v` carries, in order. */
  series: z.array(seriesRefSchema),
  /** The first tick always carries `p`: the provenance per series. */
  ticks: z.array(tickSchema),
});
export type StreamSubscribed = z.infer<typeof streamSubscribedSchema>;

/** `GET /api/live`: the same recent window a subscription answers with, for the first paint. */
export const liveQuerySchema = z.object({
  operator: operatorListParam,
  sector: sectorListParam,
  ticks: z.coerce
    .number({ error: "expected a number" })
    .int("expected a whole number")
    .min(0, "expected at least 0")
    .max(MAX_SNAPSHOT_TICKS, `expected at most ${MAX_SNAPSHOT_TICKS}`)
    .default(300),
});

export const CLIENT_ERROR_CODES = ["bad_request", "forbidden", "rate_limited", "lagging", "unavailable"] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type Acknowledgement<T> = { ok: true; data: T } | { ok: false; error: { code: ClientErrorCode; message: string } };

export interface ServerInfo {
  version: string;
  /** Identifies the build; a screen that sees it change reloads onto the new one. */
  buildId: string;
  tickMs: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** "off": series nobody measures have no data (provenance "none") instead of simulated values. */
  simulator: "on" | "off";
  /** A measured series without a sample for this long turns stale, and after `measuredExpireSeconds` back to simulated or none. */
  measuredStaleSeconds: number;
  measuredExpireSeconds: number;
}

/**
 * Sent once a socket that fell behind (its unsent bytes passed the server's soft cap) has caught
 * up: the ticks from `fromSeq` on that were dropped instead of queued meanwhile. Subscribe again
 * with `since` (the last tick held) to get them.
 */
export const streamLaggingSchema = z.object({
  droppedTicks: z.number().int().nonnegative(),
  fromSeq: z.number().int(),
});
export type StreamLagging = z.infer<typeof streamLaggingSchema>;

/**
 * The `connect_error` message of a handshake refused by the per-address limits (too many sockets
 * open, or opened too fast); `data.message` says which, `data.retryAfterMs` when to try again.
 */
export const TOO_MANY_CONNECTIONS = "too_many_connections";
export interface ConnectionLimitErrorData {
  message: string;
  retryAfterMs?: number;
}

export interface ServerToClientEvents {
  "server:hello": (info: ServerInfo) => void;
  "stream:tick": (tick: Tick) => void;
  /** Ticks were dropped while this socket was not reading; resume with `since`. */
  "stream:lagging": (lagging: StreamLagging) => void;
  "alert:raised": (alert: Alert) => void;
  "alert:updated": (alert: Alert) => void;
  "alert:resolved": (alert: Alert) => void;
  /** A message the server could not answer through an acknowledgement. */
  "client:error": (error: { code: ClientErrorCode; message: string }) => void;
  /** An operator asked this screen to reload (from /displays). */
  "display:reload": () => void;
  /** This screen's display token was revoked; the server closes the socket right after. */
  "display:revoked": () => void;
}

export interface ClientToServerEvents {
  "stream:subscribe": (request: SubscribeRequest, ack: (response: Acknowledgement<StreamSubscribed>) => void) => void;
  "stream:unsubscribe": (ack: (response: Acknowledgement<{ unsubscribed: true }>) => void) => void;
  /** A wall screen's report on itself (see lib/contracts/displays.ts), every 30 s. */
  "display:heartbeat": (heartbeat: Heartbeat, ack?: (response: Acknowledgement<{ recorded: true }>) => void) => void;
}

/** Client events the server knows; anything else is refused. */
export const CLIENT_EVENTS = ["stream:subscribe", "stream:unsubscribe", "display:heartbeat"] as const satisfies readonly (keyof ClientToServerEvents)[];
