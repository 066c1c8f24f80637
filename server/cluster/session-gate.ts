import { EventEmitter } from "node:events";
import type { Server as HttpServer } from "node:http";
import type { Socket } from "node:net";

/** The engine.io session a request names, read from its first chunk exactly as @socket.io/sticky reads it. */
const SESSION_ID = /sid=([\w-]{20})/;
const HEADER_END = Buffer.from("\r\n\r\n");

/** How long a request naming a session no worker has announced yet waits for the announcement. */
export const SESSION_HOLD_MS = 2_000;
/** At most this many requests wait at once; beyond it (forged ids, say) they are routed at once, as before. */
export const SESSION_HOLD_MAX = 512;
/** A waiting request that sends more than this is routed at once: the primary keeps no large body. */
export const SESSION_HOLD_MAX_BYTES = 64 * 1024;

/**
 * The primary's own copy of which worker holds which engine.io session, learnt from the same
 * messages @socket.io/sticky learns it from, so that the primary can tell whether sticky knows a
 * session yet and wait until it does.
 */
export class SessionDirectory {
  private readonly holders = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  has(sessionId: string): boolean {
    return this.holders.has(sessionId);
  }

  /** Requests waiting for `sessionId` to be announced. */
  waiting(sessionId: string): number {
    return this.waiters.get(sessionId)?.size ?? 0;
  }

  bind(sessionId: string, workerId: number): void {
    this.holders.set(sessionId, workerId);
    const waiting = this.waiters.get(sessionId);
    this.waiters.delete(sessionId);
    for (const wake of waiting ?? []) wake();
  }

  unbind(sessionId: string): void {
    this.holders.delete(sessionId);
  }

  /** A worker that exited holds nothing any more (sticky forgets its sessions too). */
  forgetWorker(workerId: number): void {
    for (const [sessionId, holder] of this.holders) if (holder === workerId) this.holders.delete(sessionId);
  }

  /**
   * Hears a worker's message. @socket.io/sticky's worker side (2.0.x) announces each engine.io
   * session it opens as `{ type: "sticky:connection", data: id }` and its end as
   * `"sticky:disconnection"`; the primary's sticky routes by the same messages.
   */
  hear(workerId: number, message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const { type, data } = message as { type?: unknown; data?: unknown };
    if (typeof data !== "string") return;
    if (type === "sticky:connection") this.bind(data, workerId);
    else if (type === "sticky:disconnection") this.unbind(data);
  }

  /** Resolves true once `sessionId` is announced, false when `timeoutMs` passed first. */
  whenBound(sessionId: string, timeoutMs: number): Promise<boolean> {
    if (this.has(sessionId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiting = this.waiters.get(sessionId) ?? new Set<() => void>();
      this.waiters.set(sessionId, waiting);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(sessionId) === waiting) this.waiters.delete(sessionId);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      waiting.add(wake);
    });
  }
}

/**
 * Puts a wait in front of @socket.io/sticky's routing, and returns what to give its setupPrimary
 * in place of `listening`: a stand-in on which each connection arrives once it may be routed.
 *
 * Why: a worker announces a new engine.io session to the primary only after engine.io has written
 * the handshake answer to the client (engine.io emits "connection" after the answer is sent). Each
 * later request of the session comes on a new connection (the workers close them after each
 * answer), and a quick client (the WebSocket upgrade probe, or the first long-poll) can reach the
 * primary before the announcement (about 1 in 100 upgrades sent right after the handshake, measured
 * on an idle machine; see e2e/cluster.spec.ts). Sticky then routes it by load,
 * the other worker answers "Session ID unknown", and the client gives its upgrade up for good or
 * loses its long-polling session. So a request naming a session the primary has not yet heard of
 * waits, up to `holdMs`, for the announcement; everything else goes through at once.
 */
export function holdUnknownSessions(
  listening: HttpServer,
  directory: SessionDirectory,
  options: { holdMs?: number; maxHeld?: number; maxHeldBytes?: number } = {},
): HttpServer {
  const holdMs = options.holdMs ?? SESSION_HOLD_MS;
  const maxHeld = options.maxHeld ?? SESSION_HOLD_MAX;
  const maxHeldBytes = options.maxHeldBytes ?? SESSION_HOLD_MAX_BYTES;
  const router = new EventEmitter();
  let held = 0;

  listening.on("connection", (socket: Socket) => {
    // The primary answers no request itself: its HTTP parser must not read this one (sticky would
    // remove the same listener).
    socket.removeAllListeners("data");
    socket.once("data", (first: Buffer) => {
      const route = (chunks: Buffer[]) => {
        if (socket.destroyed) return;
        // Back into the stream, unread, for sticky's own "data" listener.
        socket.pause();
        socket.unshift(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
        router.emit("connection", socket);
        socket.resume();
      };
      const end = first.indexOf(HEADER_END);
      const sessionId = SESSION_ID.exec(first.subarray(0, end === -1 ? first.length : end).toString("latin1"))?.[1];
      if (sessionId === undefined || directory.has(sessionId) || held >= maxHeld) return route([first]);

      // Held, the socket keeps reading, so that a client who leaves is noticed; what else it sends
      // (a request body) is kept, up to maxHeldBytes, and handed on with the first chunk.
      held++;
      const chunks = [first];
      let bytes = first.length;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held--;
        socket.off("data", keep);
        socket.off("end", left);
        route(chunks);
      };
      const keep = (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes > maxHeldBytes) release();
      };
      const left = () => socket.destroy();
      socket.on("data", keep);
      socket.once("end", left);
      void directory.whenBound(sessionId, holdMs).then(release);
    });
  });
  // Sticky only ever calls .on("connection") on the server it is given (@socket.io/sticky setupPrimary).
  return router as unknown as HttpServer;
}
