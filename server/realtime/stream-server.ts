import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { Alert } from "@/lib/contracts/alerts";
import { describeZodError } from "@/lib/contracts/api";
import {
  CLIENT_EVENTS,
  subscribeRequestSchema,
  type Acknowledgement,
  type ClientErrorCode,
  type ClientToServerEvents,
  type ServerInfo,
  type ServerToClientEvents,
  type StreamFilter,
  type StreamSubscribed,
  type Tick,
} from "@/lib/contracts/realtime";
import { SERIES, canonicalFilter, filterKey, seriesIndexesFor } from "@/lib/domain/series";
import { TokenBucket } from "@/lib/domain/token-bucket";
import type { ActiveDisplayToken } from "@/lib/db/display-tokens";
import { createLogger } from "@/lib/logger";
import type { AlertChange } from "./alert-service";
import type { FullTick, TickSource } from "./tick-source";

const log = createLogger("stream");

export interface SocketData {
  /** Set by the access gate for a wall screen's socket; null for a signed-in or anonymous one. */
  displayToken: ActiveDisplayToken | null;
  /** The screen's own id, once it has sent a heartbeat. */
  displayId?: string;
  /** The room of the socket's current subscription, if any. */
  room?: string;
  limiter: TokenBucket;
  violations: number;
}

export type StreamIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type StreamSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** One room per distinct filter: its ticks are built and serialised once for all its sockets. */
interface Room {
  filter: StreamFilter;
  indexes: number[];
}

export const DEFAULT_SNAPSHOT_TICKS = 300;
/** Client messages are small filters and acknowledgements; a larger one closes the connection. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** The socket.io server of the product, on the given HTTP server. */
export function createSocketServer(httpServer: HttpServer): StreamIo {
  return new Server(httpServer, { serveClient: false, maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES });
}
// A screen sends a handful of messages an hour; a burst of 10 and 2 a second is generous.
const RATE = { burst: 10, perSecond: 2 };
// Past this many refused messages the socket is cut off.
const MAX_VIOLATIONS = 20;

/** A tick cut down to the series at `indexes` (all 21 pass through without copying). */
function projectTick(indexes: readonly number[], tick: FullTick): Tick {
  return {
    s: tick.seq,
    t: tick.instantMs,
    v: indexes.length === SERIES.length ? tick.values : indexes.map((index) => tick.values[index]!),
  };
}

/** The recent window of a filter, as a subscription answer (also served over HTTP for first paint). */
export function snapshotFor(source: TickSource, filter: StreamFilter, ticks: number, provenance: StreamSubscribed["provenance"]): StreamSubscribed {
  const canonical = canonicalFilter(filter);
  const indexes = seriesIndexesFor(canonical);
  return {
    mode: "snapshot",
    filter: canonical,
    series: indexes.map((index) => SERIES[index]!),
    ticks: source.latest(ticks).map((tick) => projectTick(indexes, tick)),
    provenance,
  };
}

export interface StreamServer {
  publishAlert(change: AlertChange, alert: Alert): void;
  /** Rooms with at least one socket (for tests and benchmarks). */
  activeRooms(): number;
  close(): void;
}

export interface StreamServerOptions {
  /** Decides whether a socket may watch a filter (a wall screen only its playlist's views); a reason when not. */
  authorizeFilter?: (socket: StreamSocket, filter: StreamFilter) => Promise<string | null>;
}

export function attachStreamServer(io: StreamIo, source: TickSource, info: ServerInfo, options: StreamServerOptions = {}): StreamServer {
  const rooms = new Map<string, Room>();

  const roomFor = (filter: StreamFilter): string => {
    const canonical = canonicalFilter(filter);
    const name = `stream:${filterKey(canonical)}`;
    if (!rooms.has(name)) {
      const indexes = seriesIndexesFor(canonical);
      rooms.set(name, { filter: canonical, indexes });
    }
    return name;
  };

  const project = (room: Room, tick: FullTick) => projectTick(room.indexes, tick);

  const unsubscribeTicks = source.onTick((tick) => {
    for (const [name, room] of rooms) {
      if (!io.sockets.adapter.rooms.get(name)?.size) {
        rooms.delete(name); // nobody left watching this filter
        continue;
      }
      io.to(name).emit("stream:tick", project(room, tick));
    }
  });

  const refuse = (socket: StreamSocket, code: ClientErrorCode, message: string, ack?: unknown) => {
    if (typeof ack === "function") (ack as (response: Acknowledgement<never>) => void)({ ok: false, error: { code, message } });
    else socket.emit("client:error", { code, message });
  };

  io.on("connection", (socket) => {
    socket.data.limiter = new TokenBucket(RATE.burst, RATE.perSecond, Date.now());
    socket.data.violations = 0;

    // Every incoming message passes here first: flood control and unknown events.
    socket.use((packet, next) => {
      const [event, ...args] = packet;
      const ack = args[args.length - 1];
      if (!socket.data.limiter.take(Date.now())) {
        socket.data.violations++;
        if (socket.data.violations > MAX_VIOLATIONS) {
          // Messages already received keep arriving after the disconnect: say it once.
          if (socket.data.violations === MAX_VIOLATIONS + 1) log.warn("disconnecting a flooding client", { id: socket.id, address: socket.handshake.address });
          socket.disconnect(true);
          return;
        }
        refuse(socket, "rate_limited", `too many messages; at most ${RATE.perSecond} a second (bursts of ${RATE.burst})`, ack);
        return;
      }
      if (!(CLIENT_EVENTS as readonly string[]).includes(String(event))) {
        refuse(socket, "bad_request", `unknown event '${String(event).slice(0, 64)}'; expected one of ${CLIENT_EVENTS.join(", ")}`, ack);
        return;
      }
      next();
    });

    socket.on("stream:subscribe", async (request: unknown, ack: unknown) => {
      if (typeof ack !== "function") {
        refuse(socket, "bad_request", "stream:subscribe needs an acknowledgement callback");
        return;
      }
      const parsed = subscribeRequestSchema.safeParse(request);
      if (!parsed.success) {
        refuse(socket, "bad_request", describeZodError(parsed.error), ack);
        return;
      }
      const refusal = options.authorizeFilter ? await options.authorizeFilter(socket, parsed.data.filter) : null;
      if (refusal) {
        refuse(socket, "forbidden", refusal, ack);
        return;
      }
      if (!socket.connected) return;
      const name = roomFor(parsed.data.filter);
      const room = rooms.get(name)!;
      if (socket.data.room && socket.data.room !== name) void socket.leave(socket.data.room);
      socket.data.room = name;
      // Joining and answering happen in this one synchronous step, between two ticks: the
      // answer covers every tick up to now and the room delivers every tick after it.
      void socket.join(name);

      const missed = parsed.data.since === undefined ? undefined : source.ticksAfter(parsed.data.since);
      const response: StreamSubscribed = missed
        ? { mode: "resume", filter: room.filter, series: room.indexes.map((index) => SERIES[index]!), ticks: missed.map((tick) => project(room, tick)), provenance: info.provenance }
        : snapshotFor(source, room.filter, parsed.data.snapshotTicks ?? DEFAULT_SNAPSHOT_TICKS, info.provenance);
      (ack as (response: Acknowledgement<StreamSubscribed>) => void)({ ok: true, data: response });
    });

    socket.on("stream:unsubscribe", (ack: unknown) => {
      if (socket.data.room) void socket.leave(socket.data.room);
      socket.data.room = undefined;
      if (typeof ack === "function") (ack as (response: Acknowledgement<{ unsubscribed: true }>) => void)({ ok: true, data: { unsubscribed: true } });
    });

    socket.emit("server:hello", info);
  });

  const event = { raised: "alert:raised", updated: "alert:updated", resolved: "alert:resolved" } as const;

  return {
    publishAlert(change, alert) {
      for (const [name, room] of rooms) {
        const operatorShown = room.filter.operators.length === 0 || room.filter.operators.includes(alert.operator);
        const sectorShown = alert.sector === null || room.filter.sectors.length === 0 || room.filter.sectors.includes(alert.sector);
        if (operatorShown && sectorShown) io.to(name).emit(event[change], alert);
      }
    },
    activeRooms: () => [...rooms.keys()].filter((name) => io.sockets.adapter.rooms.get(name)?.size).length,
    close: () => unsubscribeTicks(),
  };
}
