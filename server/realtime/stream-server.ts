import type { Server as HttpServer } from "node:http";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import type { Alert } from "@/lib/contracts/alerts";
import type { ClusterServerEvents } from "@/lib/contracts/cluster";
import { describeZodError } from "@/lib/contracts/api";
import type { SeriesFilter } from "@/lib/contracts/filters";
import {
  CLIENT_EVENTS,
  MAX_SNAPSHOT_TICKS,
  TOO_MANY_CONNECTIONS,
  subscribeRequestSchema,
  type ConnectionLimitErrorData,
  type Acknowledgement,
  type ClientErrorCode,
  type ClientToServerEvents,
  type ServerInfo,
  type ServerToClientEvents,
  type StreamLagging,
  type StreamSubscribed,
  type Tick,
} from "@/lib/contracts/realtime";
import { SERIES, canonicalFilter, filterKey, filterShows, seriesIndexesFor } from "@/lib/domain/series";
import { TokenBucket } from "@/lib/domain/token-bucket";
import { WarningThrottle } from "@/lib/domain/warning-throttle";
import type { ActiveDisplayToken } from "@/lib/db/display-tokens";
import { clientAddress } from "@/lib/auth/access";
import type { Role } from "@/lib/contracts/accounts";
import { getEnv, type Env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { countSent, metrics, type RoomKind } from "@/lib/observability/metrics";
import type { AlertChange } from "./alert-service";
import type { FullTick, TickSource } from "./tick-source";

const log = createLogger("stream");

export interface SocketData {
  /** Set by the access gate for a wall screen's socket; null for a signed-in or anonymous one. */
  displayToken: ActiveDisplayToken | null;
  /** Set by the access gate for a signed-in person's socket: closed when that session ends (socket-sessions.ts). */
  sessionKey?: string;
  accountId?: number;
  /** The signed-in account's role: registering a screen needs an operator. */
  role?: Role;
  /** The client's address, as the per-address limits count it (behind a trusted proxy, X-Forwarded-For's last entry). */
  address: string;
  /** The screen's own id, once it has sent a heartbeat. */
  displayId?: string;
  /** The room of the socket's current subscription, if any. */
  room?: string;
  limiter: TokenBucket;
  violations: number;
  /** Set while the socket is lagging: its ticks are dropped rather than queued. */
  lagging?: { sinceMs: number; fromSeq: number; droppedTicks: number };
}

export type StreamIo = Server<ClientToServerEvents, ServerToClientEvents, ClusterServerEvents, SocketData>;
export type StreamSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterServerEvents, SocketData>;

/** One room per distinct filter: its ticks are built and serialised once for all its sockets. */
interface Room {
  filter: SeriesFilter;
  indexes: number[];
}

export const DEFAULT_SNAPSHOT_TICKS = 300;
/** Client messages are small filters and acknowledgements; a larger one closes the connection. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/**
 * What one socket, and one remote address, may cost the server. The product reads them from the
 * environment (lib/env.ts); tests and benchmarks that open many sockets from 127.0.0.1 pass
 * their own rather than loosening the defaults.
 */
export interface SocketLimits {
  /** Sockets open at once from one remote address. */
  connectionsPerAddress: number;
  /** New sockets one remote address may open per minute. */
  connectsPerAddressPerMinute: number;
  /** Subscriptions one remote address may make per minute, over all its sockets. */
  subscriptionsPerAddressPerMinute: number;
  /** Unsent bytes past which a socket's ticks are dropped instead of queued (it is lagging). */
  sendBufferSoftBytes: number;
  /** Unsent bytes past which a socket is closed. */
  sendBufferHardBytes: number;
  /** A socket lagging for longer than this is closed. */
  lagTimeoutMs: number;
  /** Behind a trusted proxy (PULSE_TRUST_PROXY=1) every socket's peer is the proxy: count X-Forwarded-For's address instead. */
  trustProxy: boolean;
  /** Each socket's token bucket: messages at once, and refilled per second. */
  messageBurst: number;
  messagesPerSecond: number;
}

export function socketLimitsFromEnv(env: Env): SocketLimits {
  return {
    connectionsPerAddress: env.SOCKET_CONNECTIONS_PER_ADDRESS,
    connectsPerAddressPerMinute: env.SOCKET_CONNECTS_PER_ADDRESS_PER_MINUTE,
    subscriptionsPerAddressPerMinute: env.SOCKET_SUBSCRIPTIONS_PER_ADDRESS_PER_MINUTE,
    sendBufferSoftBytes: env.SOCKET_SEND_BUFFER_SOFT_BYTES,
    sendBufferHardBytes: env.SOCKET_SEND_BUFFER_HARD_BYTES,
    lagTimeoutMs: env.SOCKET_LAG_TIMEOUT_MS,
    trustProxy: env.PULSE_TRUST_PROXY,
    // A screen sends a handful of messages an hour; a burst of 10 and 2 a second is generous.
    messageBurst: 10,
    messagesPerSecond: 2,
  };
}

/** What createSocketServer sets up and attachStreamServer uses: the limits and the shared guards. */
interface SocketPolicy {
  limits: SocketLimits;
  subscriptionsByAddress: RateLimiterMemory;
  warnings: ThrottledWarnings;
}
const policies = new WeakMap<StreamIo, SocketPolicy>();

/**
 * Warnings that a flood could repeat thousands of times: the first few per address and kind in
 * a minute are written, the rest are counted and summed up in one line a minute.
 */
interface ThrottledWarnings {
  warn(kind: string, address: string, message: string, fields: Record<string, unknown>): void;
  close(): void;
}

const WARNINGS_PER_ADDRESS = 3;
const WARNINGS_PER_MINUTE = 30;

function createThrottledWarnings(): ThrottledWarnings {
  const throttle = new WarningThrottle(WARNINGS_PER_ADDRESS, WARNINGS_PER_MINUTE, 60_000, Date.now());
  const summarise = (heldBack: Record<string, number> | undefined) => {
    if (heldBack) log.warn("socket warnings held back in the last minute", heldBack);
  };
  const timer = setInterval(() => summarise(throttle.roll(Date.now())), 60_000);
  timer.unref();
  return {
    warn(kind, address, message, fields) {
      const now = Date.now();
      summarise(throttle.roll(now));
      if (throttle.admit(kind, address, now)) log.warn(message, { ...fields, address });
    },
    close() {
      clearInterval(timer);
      summarise(throttle.drain());
    },
  };
}

/** A connect error the client sees as `connect_error`: a short code as message, the reason in `data`. */
function connectRefusal(message: string, retryAfterMs?: number): Error {
  const data: ConnectionLimitErrorData = { message, retryAfterMs };
  return Object.assign(new Error(TOO_MANY_CONNECTIONS), { data });
}

/** Counts the sockets of each remote address and refuses, at the handshake, what is over the caps. */
function guardAddresses(io: StreamIo, limits: SocketLimits, warnings: ThrottledWarnings): void {
  const open = new Map<string, number>();
  const connects = new RateLimiterMemory({ points: limits.connectsPerAddressPerMinute, duration: 60 });
  const counted = new WeakSet<object>();

  io.use((socket, next) => {
    const forwardedFor = socket.handshake.headers["x-forwarded-for"];
    const address = clientAddress(socket.handshake.address, Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, limits.trustProxy);
    socket.data.address = address;
    const current = open.get(address) ?? 0;
    if (current >= limits.connectionsPerAddress) {
      metrics.handshakesRefused.inc({ reason: "too_many_open" });
      warnings.warn("connections", address, "refused a socket: too many open from one address", { open: current });
      next(connectRefusal(`too many connections from this address: at most ${limits.connectionsPerAddress} at once`));
      return;
    }
    // Counted from here, not from "connection", so that handshakes in flight count too; given
    // back when the transport closes, however the socket ends (refused later, cut off, gone).
    if (!counted.has(socket.conn)) {
      counted.add(socket.conn);
      open.set(address, current + 1);
      socket.conn.once("close", () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left > 0) open.set(address, left);
        else open.delete(address);
      });
    }
    connects.consume(address).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection instanceof Error ? rejection : new Error("unavailable"));
        metrics.handshakesRefused.inc({ reason: "too_many_new" });
        warnings.warn("connects", address, "refused a socket: too many new connections from one address", {});
        next(
          connectRefusal(
            `too many new connections from this address: at most ${limits.connectsPerAddressPerMinute} a minute`,
            rejection.msBeforeNext,
          ),
        );
      },
    );
  });
}

/**
 * The socket.io server of the product, on the given HTTP server, refusing at the handshake an
 * address that has too many sockets open or opens them too fast. `limits` override the
 * environment's (tests and benchmarks open hundreds of sockets from one address).
 */
export function createSocketServer(httpServer: HttpServer, limits: Partial<SocketLimits> = {}): StreamIo {
  const io: StreamIo = new Server(httpServer, { serveClient: false, maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES });
  const merged = { ...socketLimitsFromEnv(getEnv()), ...limits };
  const warnings = createThrottledWarnings();
  guardAddresses(io, merged, warnings);
  policies.set(io, {
    limits: merged,
    subscriptionsByAddress: new RateLimiterMemory({ points: merged.subscriptionsPerAddressPerMinute, duration: 60 }),
    warnings,
  });
  return io;
}

// Past this many refused messages the socket is cut off.
const MAX_VIOLATIONS = 20;
/** A subscription answer costs one message of the rate budget per this many values (100 ticks of all 21 series ≈ 22 KB). */
const VALUES_PER_TOKEN = 4_200;
/** Sockets whose ticks are being dropped; broadcasts leave them out. */
export const LAGGING_ROOM = "flow:lagging";

/** The rate-budget cost of an answer carrying `ticks` ticks of `series` series (a 900-tick snapshot of everything: 5). */
export function answerCost(ticks: number, series: number): number {
  return Math.max(1, Math.ceil((ticks * series) / VALUES_PER_TOKEN));
}

interface EnginePacketLike {
  type: string;
  data?: unknown;
}
interface EngineConnLike {
  writeBuffer: EnginePacketLike[];
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

function packetBytes(packet: EnginePacketLike): number {
  const data = packet.data;
  if (typeof data === "string") return data.length + 1;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength + 1;
  return 1;
}

/**
 * Bytes accepted for this socket but not yet handed to the kernel: engine.io's write buffer
 * (packets waiting while the transport is busy) plus, on a WebSocket, what `ws` still holds.
 */
export function unsentBytes(socket: StreamSocket): number {
  const conn = socket.conn as unknown as EngineConnLike;
  let bytes = 0;
  for (const packet of conn.writeBuffer) bytes += packetBytes(packet);
  if (conn.transport.name === "websocket") bytes += conn.transport.socket?.bufferedAmount ?? 0;
  return bytes;
}

/**
 * Closes a socket at once, dropping what it has not read. socket.disconnect(true) alone waits for
 * the write buffer to drain, which a client that never reads never lets happen.
 */
function cutOff(socket: StreamSocket): void {
  const conn = socket.conn as unknown as EngineConnLike;
  socket.disconnect(true);
  if (conn.transport.name === "websocket" && conn.transport.socket?.terminate) conn.transport.socket.terminate();
  else conn.close(true);
}

const projectCodes = (indexes: readonly number[], tick: FullTick): string =>
  indexes.length === SERIES.length ? tick.codes : indexes.map((index) => tick.codes[index]!).join("");

/**
 * A tick cut down to the series at `indexes` (all 21 pass through without copying), with `p`
 * only when its provenance differs from `previous` (the tick before it on this stream; none
 * for the first tick of an answer, which therefore always carries it).
 */
function projectTick(indexes: readonly number[], tick: FullTick, previous: FullTick | undefined): Tick {
  const codes = projectCodes(indexes, tick);
  const projected: Tick = {
    s: tick.seq,
    t: tick.instantMs,
    v: indexes.length === SERIES.length ? tick.values : indexes.map((index) => tick.values[index]!),
  };
  if (!previous || (previous.codes !== tick.codes && projectCodes(indexes, previous) !== codes)) projected.p = codes;
  return projected;
}

/** Whether a revision changes anything a room with these series shows. */
function revisionShows(indexes: readonly number[], revised: FullTick, replaced: FullTick): boolean {
  return indexes.some((index) => revised.values[index] !== replaced.values[index] || revised.codes[index] !== replaced.codes[index]);
}

/** Ticks for one answer: `p` on the first and wherever it changes. */
function projectTicks(indexes: readonly number[], ticks: readonly FullTick[]): Tick[] {
  return ticks.map((tick, index) => projectTick(indexes, tick, index === 0 ? undefined : ticks[index - 1]));
}

/** The recent window of a filter, as a subscription answer (also served over HTTP for first paint). */
export function snapshotFor(source: TickSource, filter: SeriesFilter, ticks: number): StreamSubscribed {
  const canonical = canonicalFilter(filter);
  const indexes = seriesIndexesFor(canonical);
  return {
    mode: "snapshot",
    filter: canonical,
    series: indexes.map((index) => SERIES[index]!),
    ticks: projectTicks(indexes, source.latest(ticks)),
  };
}

/** The kind of filter a stream room (`stream:<operators>|<sectors>`) carries, for metrics. */
export function roomKindOf(room: string): RoomKind {
  const [operators, sectors] = room.slice("stream:".length).split("|");
  if (operators === "*") return sectors === "*" ? "all" : "sector";
  return sectors === "*" ? "operator" : "operator_sector";
}

export interface StreamServer {
  publishAlert(change: AlertChange, alert: Alert): void;
  /** Rooms with at least one socket (for tests and benchmarks). */
  activeRooms(): number;
  close(): void;
}

export interface StreamServerOptions {
  /** Decides whether a socket may watch a filter (a wall screen only its playlist's views); a reason when not. */
  authorizeFilter?: (socket: StreamSocket, filter: SeriesFilter) => Promise<string | null>;
}

export function attachStreamServer(io: StreamIo, source: TickSource, info: ServerInfo, options: StreamServerOptions = {}): StreamServer {
  const rooms = new Map<string, Room>();
  const policy = policies.get(io);
  // The per-address guards are installed by createSocketServer, before any other middleware.
  if (!policy) throw new Error("attachStreamServer needs a socket.io server made by createSocketServer");
  const { limits, warnings } = policy;

  const roomFor = (filter: SeriesFilter): string => {
    const canonical = canonicalFilter(filter);
    const name = `stream:${filterKey(canonical)}`;
    if (!rooms.has(name)) {
      const indexes = seriesIndexesFor(canonical);
      rooms.set(name, { filter: canonical, indexes });
    }
    return name;
  };


  const cut = (socket: StreamSocket, reason: "unsent_bytes" | "lag_timeout" | "flood", message: string, fields: Record<string, unknown>) => {
    metrics.socketsCutOff.inc({ reason });
    warnings.warn(reason === "flood" ? "flood" : "backpressure", socket.data.address, message, { id: socket.id, ...fields });
    cutOff(socket);
  };

  /**
   * Backpressure, once per tick before the broadcast: a socket holding more unsent bytes than
   * the soft cap stops getting ticks (it joins the lagging room, which broadcasts leave out);
   * once it has caught up it is told how many it missed; past the hard cap, or lagging for too
   * long, it is closed.
   */
  const checkBackpressure = (seq: number) => {
    const now = Date.now();
    for (const socket of io.sockets.sockets.values()) {
      const unsent = unsentBytes(socket);
      const lagging = socket.data.lagging;
      if (unsent > limits.sendBufferHardBytes) {
        cut(socket, "unsent_bytes", "closed a socket that does not read: too many unsent bytes", { unsentBytes: unsent });
        continue;
      }
      if (!lagging) {
        if (unsent <= limits.sendBufferSoftBytes) continue;
        socket.data.lagging = { sinceMs: now, fromSeq: seq, droppedTicks: socket.data.room ? 1 : 0 };
        void socket.join(LAGGING_ROOM);
      } else if (unsent <= limits.sendBufferSoftBytes / 2) {
        endLagging(socket); // caught up: this tick goes out again
      } else if (now - lagging.sinceMs > limits.lagTimeoutMs) {
        cut(socket, "lag_timeout", "closed a socket that has not caught up", { unsentBytes: unsent, laggingMs: now - lagging.sinceMs });
      } else if (socket.data.room) {
        lagging.droppedTicks++;
      }
    }
  };

  /** Leaves the lagging state; tells the client what it missed, unless it is about to be answered anyway. */
  const endLagging = (socket: StreamSocket, tell = true) => {
    const lagging = socket.data.lagging;
    if (!lagging) return;
    socket.data.lagging = undefined;
    void socket.leave(LAGGING_ROOM);
    if (tell) socket.emit("stream:lagging", { droppedTicks: lagging.droppedTicks, fromSeq: lagging.fromSeq } satisfies StreamLagging);
  };

  /**
   * The room's sockets on this node, less any that are lagging (the common case, nobody lagging,
   * stays a plain room broadcast). Local: every node sends its own ticks and alerts to its own
   * sockets; through a cluster adapter, io.to() would send them to every node's sockets as well.
   */
  const audience = (name: string) => (io.sockets.adapter.rooms.get(LAGGING_ROOM)?.size ? io.local.to(name).except(LAGGING_ROOM) : io.local.to(name));

  // Every room hears every tick, so the tick before this one is the one its sockets last got
  // (or, for a socket that just subscribed, the last tick of its answer).
  let previousTick: FullTick | undefined;
  const unsubscribeTicks = source.onTick((tick) => {
    checkBackpressure(tick.seq);
    for (const [name, room] of rooms) {
      if (!io.sockets.adapter.rooms.get(name)?.size) {
        rooms.delete(name); // nobody left watching this filter
        continue;
      }
      audience(name).emit("stream:tick", projectTick(room.indexes, tick, previousTick));
    }
    previousTick = tick;
  });
  // A revision (the newest tick again, same `s`: tick-source.ts) goes only to the rooms whose series
  // it changed, always with `p`, since it replaces a tick whose provenance may differ. The next tick
  // is projected against it: rooms it skipped hold a tick that looks the same to them.
  const unsubscribeRevisions = source.onRevision((revised, replaced) => {
    for (const [name, room] of rooms) {
      if (revisionShows(room.indexes, revised, replaced)) audience(name).emit("stream:tick", projectTick(room.indexes, revised, undefined));
    }
    if (previousTick?.seq === revised.seq) previousTick = revised;
  });

  const refuse = (socket: StreamSocket, code: ClientErrorCode, message: string, ack?: unknown) => {
    metrics.clientMessagesRefused.inc({ reason: code });
    if (typeof ack === "function") (ack as (response: Acknowledgement<never>) => void)({ ok: false, error: { code, message } });
    else socket.emit("client:error", { code, message });
  };

  const violated = (socket: StreamSocket): boolean => {
    socket.data.violations++;
    if (socket.data.violations <= MAX_VIOLATIONS) return false;
    // Messages already received keep arriving after the cut: cut and say it once.
    if (socket.data.violations === MAX_VIOLATIONS + 1) cut(socket, "flood", "disconnected a flooding client", { refused: socket.data.violations });
    return true;
  };
  const tooMany = `too many messages; at most ${limits.messagesPerSecond} a second (bursts of ${limits.messageBurst}), a large answer counting as several`;

  /** A socket that is not reading gets no large answer on top of what it has not read. */
  const refusedForLagging = (socket: StreamSocket, ack: unknown): boolean => {
    const unsent = unsentBytes(socket);
    if (unsent <= limits.sendBufferSoftBytes) return false;
    refuse(socket, "lagging", `${unsent} bytes sent earlier are still unread; read them before subscribing again`, ack);
    return true;
  };

  io.on("connection", (socket) => {
    socket.data.limiter = new TokenBucket(limits.messageBurst, limits.messagesPerSecond, Date.now());
    socket.data.violations = 0;

    // Every incoming packet costs a message of the budget. Events are charged in the middleware
    // below, which can answer them; everything else (acknowledgements, binary attachments,
    // heartbeats, stray packets) is charged here, where it arrives, since no handler sees it.
    const conn = socket.conn;
    const charge = (packet: EnginePacketLike) => {
      const data = packet.data;
      const isEvent = packet.type === "message" && typeof data === "string" && (data.startsWith("2") || data.startsWith("5"));
      if (isEvent || socket.data.limiter.take(Date.now())) return;
      violated(socket);
    };
    conn.on("packet", charge);
    // Every packet engine.io queues for this client, broadcasts included (encoded once, counted per socket).
    const countPacket = (packet: EnginePacketLike) => countSent(packetBytes(packet));
    conn.on("packetCreate", countPacket);
    socket.once("disconnect", () => {
      conn.off("packet", charge);
      conn.off("packetCreate", countPacket);
      socket.data.lagging = undefined;
    });

    // Every incoming event passes here first: flood control and unknown events.
    socket.use((packet, next) => {
      const [event, ...args] = packet;
      const ack = args[args.length - 1];
      if (!socket.data.limiter.take(Date.now())) {
        if (violated(socket)) return;
        refuse(socket, "rate_limited", tooMany, ack);
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
      // Right after a start the buffer is being refilled from stored samples: answer from the refilled one.
      await source.ready;
      if (refusal) {
        refuse(socket, "forbidden", refusal, ack);
        return;
      }
      if (!socket.connected || refusedForLagging(socket, ack)) return;
      // A large answer costs more of the budget than a small one (the event itself paid one).
      const name = roomFor(parsed.data.filter);
      const room = rooms.get(name)!;
      const missed = parsed.data.since === undefined ? undefined : source.ticksAfter(parsed.data.since);
      const tickCount = missed ? missed.length : Math.min(parsed.data.snapshotTicks ?? DEFAULT_SNAPSHOT_TICKS, source.latest(MAX_SNAPSHOT_TICKS).length);
      const cost = answerCost(tickCount, room.indexes.length);
      if (cost > 1 && !socket.data.limiter.take(Date.now(), cost - 1)) {
        if (violated(socket)) return;
        refuse(socket, "rate_limited", `${tooMany}: ${tickCount} ticks of ${room.indexes.length} series count as ${cost}; ask for fewer ticks or wait`, ack);
        return;
      }
      const address = socket.data.address;
      try {
        await policy.subscriptionsByAddress.consume(address);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          refuse(socket, "unavailable", "the subscription could not be checked; try again", ack);
          return;
        }
        warnings.warn("subscriptions", address, "refused a subscription: too many from one address", { id: socket.id });
        refuse(socket, "rate_limited", `too many subscriptions from this address: at most ${limits.subscriptionsPerAddressPerMinute} a minute; retry in ${Math.ceil(rejection.msBeforeNext / 1000)} s`, ack);
        return;
      }
      // Checked again after waiting: answers to a batch of subscriptions must not pile up.
      if (!socket.connected || refusedForLagging(socket, ack)) return;

      if (socket.data.room && socket.data.room !== name) void socket.leave(socket.data.room);
      socket.data.room = name;
      // This answer covers what was dropped while lagging: no separate notice.
      endLagging(socket, false);
      // Joining and answering happen in this one synchronous step, between two ticks: the
      // answer covers every tick up to now and the room delivers every tick after it.
      void socket.join(name);
      const ticksNow = parsed.data.since === undefined ? undefined : source.ticksAfter(parsed.data.since);
      const response: StreamSubscribed = ticksNow
        ? { mode: "resume", filter: room.filter, series: room.indexes.map((index) => SERIES[index]!), ticks: projectTicks(room.indexes, ticksNow) }
        : snapshotFor(source, room.filter, parsed.data.snapshotTicks ?? DEFAULT_SNAPSHOT_TICKS);
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
        if (filterShows(room.filter, alert)) audience(name).emit(event[change], alert);
      }
    },
    activeRooms: () => [...rooms.keys()].filter((name) => io.sockets.adapter.rooms.get(name)?.size).length,
    close: () => {
      unsubscribeTicks();
      unsubscribeRevisions();
      warnings.close();
    },
  };
}
