import { io, type Socket } from "socket.io-client";
import type { Alert } from "@/lib/contracts/alerts";
import type { Heartbeat } from "@/lib/contracts/displays";
import type { SeriesFilter } from "@/lib/contracts/filters";
import {
  TOO_MANY_CONNECTIONS,
  type Acknowledgement,
  type ConnectionLimitErrorData,
  type ClientToServerEvents,
  type ServerInfo,
  type ServerToClientEvents,
  type StreamSubscribed,
  type Tick,
  withProvenance,
} from "@/lib/contracts/realtime";

/** A subscription refused for the rate budget is asked again after this long (the budget refills at 2 messages a second). */
const RETRY_AFTER_REFUSAL_MS = 3_000;

export type StreamStatus = "connecting" | "live" | "reconnecting";

export interface StreamHandlers {
  /** A fresh window of ticks that replaces whatever was shown. */
  onSnapshot?(subscription: StreamSubscribed): void;
  /**
   * New ticks to append, in order, without holes. The first may carry the sequence number of the
   * last tick handed on: a revision of it (samples accepted after it was sent), which replaces it.
   */
  onTicks?(ticks: Tick[], subscription: StreamSubscribed): void;
  onStatus?(status: StreamStatus): void;
  onAlert?(change: "raised" | "updated" | "resolved", alert: Alert): void;
  onHello?(info: ServerInfo): void;
  /** The server refused a request (bad filter, rate limit). */
  onError?(message: string): void;
  /** The connection was refused: "unauthorized", "revoked", or a network error's message. */
  onConnectError?(message: string): void;
  /** An operator asked this screen to reload. */
  onReloadRequested?(): void;
  /** This screen's display token was revoked. */
  onRevoked?(): void;
}

export interface StreamClientOptions {
  /** Server origin; undefined in the browser means the page's own origin. */
  url?: string;
  filter: SeriesFilter;
  snapshotTicks?: number;
  handlers: StreamHandlers;
  /** socket.io-client options, e.g. transports for Node. */
  socketOptions?: Parameters<typeof io>[1];
}

/**
 * The one client of the live stream, for the browser and for `npm run watch`. It subscribes on
 * every (re)connect, resumes from the tick before the last one it holds so a reconnect or server
 * restart leaves no hole (and the last tick comes again, as revised meanwhile), hands on a revision
 * of its last tick, drops older repeats, and asks again when it notices a gap.
 */
export class StreamClient {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private filter: SeriesFilter;
  private subscription: StreamSubscribed | undefined;
  private lastSeq: number | undefined;
  /** The last tick handed on (with `p`): a resume repeats it, unchanged unless it was revised. */
  private lastTick: Tick | undefined;
  /** The `p` of the last tick held: what a tick without one inherits. */
  private lastCodes: string | undefined;
  /** True from sending a subscription until its answer: ticks in flight belong to the old one. */
  private awaitingAnswer = false;
  private statusValue: StreamStatus = "connecting";
  /** Numbers subscriptions so that only the answer to the latest one is used. */
  private requests = 0;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: StreamClientOptions) {
    this.filter = options.filter;
    this.socket = io(options.url ?? "", {
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      randomizationFactor: 0.5,
      ...options.socketOptions,
    });
    const handlers = options.handlers;
    this.socket.on("connect", () => this.subscribe(true));
    this.socket.on("disconnect", (reason) => {
      this.setStatus("reconnecting");
      // socket.io retries by itself after a network failure but not after the server let the
      // socket go (a restart on some hosts, an overload); a screen must come back either way.
      if (reason === "io server disconnect") setTimeout(() => !this.closed && this.socket.connect(), 1_000);
    });
    this.socket.on("connect_error", (error) => {
      if (this.statusValue !== "connecting") this.setStatus("reconnecting");
      handlers.onConnectError?.(error.message);
      // socket.io does not retry a handshake the server refused; this refusal is temporary.
      if (error.message === TOO_MANY_CONNECTIONS && !this.socket.active) {
        const retryAfterMs = (error as Error & { data?: ConnectionLimitErrorData }).data?.retryAfterMs;
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => !this.closed && this.socket.connect(), Math.max(retryAfterMs ?? 0, 5_000) + Math.random() * 5_000);
      }
    });
    this.socket.on("stream:tick", (tick) => this.receive(tick));
    // The server dropped ticks while this client was not reading; it has caught up: fetch them.
    this.socket.on("stream:lagging", () => {
      if (this.subscription && !this.awaitingAnswer) this.subscribe(true);
    });
    this.socket.on("server:hello", (info) => handlers.onHello?.(info));
    this.socket.on("alert:raised", (alert) => handlers.onAlert?.("raised", alert));
    this.socket.on("alert:updated", (alert) => handlers.onAlert?.("updated", alert));
    this.socket.on("alert:resolved", (alert) => handlers.onAlert?.("resolved", alert));
    this.socket.on("client:error", (error) => handlers.onError?.(error.message));
    this.socket.on("display:reload", () => handlers.onReloadRequested?.());
    this.socket.on("display:revoked", () => handlers.onRevoked?.());
  }

  /** Sends a wall screen's heartbeat (dropped while disconnected; the next one follows soon). */
  sendHeartbeat(heartbeat: Heartbeat): void {
    if (this.socket.connected) this.socket.emit("display:heartbeat", heartbeat);
  }

  get status(): StreamStatus {
    return this.statusValue;
  }

  /** The newest sequence number held, if any. */
  get latestSeq(): number | undefined {
    return this.lastSeq;
  }

  /** Changes what is streamed, on the same connection; a fresh snapshot follows. */
  setFilter(filter: SeriesFilter): void {
    this.filter = filter;
    this.lastSeq = undefined;
    this.lastTick = undefined;
    if (this.socket.connected) this.subscribe(false);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket.removeAllListeners();
    this.socket.close();
  }

  private setStatus(status: StreamStatus): void {
    if (this.statusValue === status || this.closed) return;
    this.statusValue = status;
    this.options.handlers.onStatus?.(status);
  }

  private subscribe(resume: boolean): void {
    clearTimeout(this.retryTimer);
    this.awaitingAnswer = true;
    // From the tick before the last one held: the answer starts with that last tick as the server
    // holds it now, which a revision sent while this client was away or lagging may have changed.
    const since = resume && this.lastSeq !== undefined ? Math.max(0, this.lastSeq - 1) : undefined;
    const request = ++this.requests;
    this.socket.emit(
      "stream:subscribe",
      { filter: this.filter, since, snapshotTicks: this.options.snapshotTicks },
      (response: Acknowledgement<StreamSubscribed>) => {
        if (request === this.requests) this.answered(response);
      },
    );
  }

  private answered(response: Acknowledgement<StreamSubscribed>): void {
    if (this.closed) return;
    this.awaitingAnswer = false;
    if (!response.ok) {
      this.options.handlers.onError?.(response.error.message);
      // Over the rate budget, or still holding unread data: the same request will do a little later.
      if (response.error.code === "rate_limited" || response.error.code === "lagging" || response.error.code === "unavailable") {
        this.retryTimer = setTimeout(() => !this.closed && this.socket.connected && this.subscribe(this.lastSeq !== undefined), RETRY_AFTER_REFUSAL_MS);
      }
      return;
    }
    // Every tick handed on carries its `p` in full (the wire sends it only when it changes).
    const subscription = { ...response.data, ticks: withProvenance(response.data.ticks, this.lastCodes) };
    this.subscription = subscription;
    if (subscription.mode === "snapshot") {
      this.lastTick = subscription.ticks.at(-1) ?? this.lastTick;
      this.lastSeq = this.lastTick?.s;
      this.lastCodes = this.lastTick?.p ?? this.lastCodes;
      this.options.handlers.onSnapshot?.(subscription);
    } else {
      this.append(subscription.ticks);
    }
    this.setStatus("live");
  }

  private receive(tick: Tick): void {
    if (this.awaitingAnswer || !this.subscription) return;
    if (this.lastSeq !== undefined && tick.s > this.lastSeq + 1) {
      // A tick went missing on the way: ask for exactly what is missing.
      this.subscribe(true);
      return;
    }
    this.append(withProvenance([tick], this.lastCodes));
  }

  private append(ticks: Tick[]): void {
    const last = this.lastTick;
    // A tick with the last one's `s` revises it; one identical to it (a resume's first) is no news.
    const fresh = last === undefined ? ticks : ticks.filter((tick) => tick.s > last.s || (tick.s === last.s && !sameTick(tick, last)));
    if (fresh.length === 0 || !this.subscription) return;
    this.lastTick = fresh[fresh.length - 1]!;
    this.lastSeq = this.lastTick.s;
    this.lastCodes = this.lastTick.p ?? this.lastCodes;
    this.options.handlers.onTicks?.(fresh, this.subscription);
  }
}

function sameTick(a: Tick, b: Tick): boolean {
  return a.p === b.p && a.v.length === b.v.length && a.v.every((value, index) => value === b.v[index]);
}
