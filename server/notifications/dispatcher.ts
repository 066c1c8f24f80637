import {
  claimDueNotifications,
  markNotificationFailed,
  markNotificationSent,
  pruneNotifications,
  type ClaimedNotification,
} from "@/lib/db/notifications";
import { retryDelayMs } from "@/lib/domain/notifications";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import { buildRequest, refusalOf, type OutgoingRequest } from "./channels";

const log = createLogger("notifications");

/** The outbox functions the dispatcher uses (lib/db's, unless a test passes its own). */
export interface OutboxStore {
  /** At most one row per contact point, none for those in `busy`. */
  claim(limit: number, leaseMs: number, busy: readonly number[]): Promise<ClaimedNotification[]>;
  markSent(id: string): Promise<void>;
  markFailed(id: string, error: string, retryAtMs: number | null): Promise<void>;
  prune(beforeMs: number): Promise<number>;
}

const POSTGRES_OUTBOX: OutboxStore = {
  claim: claimDueNotifications,
  markSent: markNotificationSent,
  markFailed: markNotificationFailed,
  prune: pruneNotifications,
};

export interface DispatcherOptions {
  /** Tries before a row is dead-lettered (NOTIFY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First retry delay; doubles each time (NOTIFY_BACKOFF_BASE_MS). Tests pass a few milliseconds. */
  backoffBaseMs: number;
  /** The longest retry delay. */
  backoffMaxMs?: number;
  /** One request, answer included (NOTIFY_TIMEOUT_MS). */
  timeoutMs: number;
  /** Requests in flight at once (NOTIFY_CONCURRENCY). */
  concurrency: number;
  /** How often the outbox is looked at for due rows. */
  pollMs?: number;
  /**
   * How long a claimed row is this process's: past it, another dispatcher may take the row (its
   * sender is taken to have died mid-send). Default: twice the timeout plus 5 s, so a row is never
   * claimed again while its first try can still be in flight.
   */
  leaseMs?: number;
  /** Sent and dead rows older than this are deleted (hourly). Unset: kept. */
  retentionMs?: number;
  store?: OutboxStore;
  now?: () => number;
  random?: () => number;
}

export interface Dispatcher {
  start(): void;
  /** Stops claiming, waits for the requests in flight (bounded by their timeout) and records their outcome. */
  stop(): Promise<void>;
}

const MAX_ANSWER_BYTES = 16 * 1024;
const DEFAULT_BACKOFF_MAX_MS = 15 * 60_000;

/**
 * POSTs one request: http and https only, redirects not followed (a robot URL that redirects is
 * misconfigured, and following could lead anywhere), the answer read up to 16 KiB, all within
 * `timeoutMs`.
 */
export async function postRequest(request: OutgoingRequest, timeoutMs: number): Promise<{ status: number; body: string }> {
  const protocol = new URL(request.url).protocol;
  if (protocol !== "http:" && protocol !== "https:") throw new Error(`refused to send to a ${protocol} URL`);
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal });
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      while (size < MAX_ANSWER_BYTES) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.byteLength;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  return { status: response.status, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString("utf8") };
}

/** An error's text with the contact point's URL (which may carry its key) and secret removed. */
export function redactError(error: unknown, secrets: readonly (string | null)[]): string {
  let text = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (error instanceof Error && error.name === "TimeoutError") text = "timed out";
  else if (cause?.message) text = `${text}: ${cause.message}`;
  for (const secret of secrets) if (secret) text = text.split(secret).join("[redacted]");
  return text.slice(0, 500);
}

/**
 * Sends what the outbox holds, in the background: nothing on the tick or alert path waits for it
 * (they only write the row). Each row is claimed with a lease, sent once, and then marked sent,
 * or retried with exponential backoff, or dead-lettered after the last try.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const store = options.store ?? POSTGRES_OUTBOX;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = Math.max(options.leaseMs ?? options.timeoutMs * 2 + 5_000, options.timeoutMs + 1_000);
  const inFlight = new Set<Promise<void>>();
  // Contact points with a request in flight from this process: each gets one at a time, so one
  // that hangs holds one slot, not all of them.
  const busy = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let stopped = true;
  let pumping: Promise<void> | undefined;
  let again = false;
  // While the database is down the outbox is polled every second: say so once, and once when it is back.
  let outboxUnreadable = false;

  const deliver = async (row: ClaimedNotification): Promise<void> => {
    const target = row.contactPoint;
    let failure: string | null;
    try {
      const answer = await postRequest(buildRequest(target, { id: row.id, event: row.event, alert: row.alert }, now()), options.timeoutMs);
      failure = refusalOf(target.kind, answer.status, answer.body);
    } catch (error) {
      failure = redactError(error, [target.url, target.secret]);
    }
    const fields = { id: row.id, contactPoint: target.id, name: target.name, kind: target.kind, event: row.event, attempt: row.attempts };
    try {
      if (failure === null) {
        await store.markSent(row.id);
        metrics.notifications.inc({ kind: target.kind, outcome: "sent" });
        log.info("notification sent", fields);
      } else if (row.attempts >= options.maxAttempts) {
        await store.markFailed(row.id, failure, null);
        metrics.notifications.inc({ kind: target.kind, outcome: "failed" });
        log.warn("notification dead-lettered after its last try", { ...fields, error: failure });
      } else {
        metrics.notifications.inc({ kind: target.kind, outcome: "retrying" });
        const delay = retryDelayMs(row.attempts, options.backoffBaseMs, options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS, options.random);
        await store.markFailed(row.id, failure, now() + delay);
        log.warn("notification failed; will retry", { ...fields, retryInMs: delay, error: failure });
      }
    } catch (error) {
      // The row keeps its lease and is tried again when it runs out: nothing is lost.
      log.warn("could not record a notification's outcome", { id: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const pump = (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = claimAndSend().finally(() => (pumping = undefined));
    return pumping;
  };

  const claimAndSend = async (): Promise<void> => {
    do {
      again = false;
      const free = options.concurrency - inFlight.size;
      if (stopped || free <= 0) return;
      let rows: ClaimedNotification[];
      try {
        rows = await store.claim(free, leaseMs, [...busy]);
      } catch (error) {
        if (!outboxUnreadable) log.warn("cannot read the notification outbox; retrying every poll", { error: error instanceof Error ? error.message : String(error) });
        outboxUnreadable = true;
        return;
      }
      if (outboxUnreadable) log.info("the notification outbox can be read again");
      outboxUnreadable = false;
      for (const row of rows) {
        busy.add(row.contactPoint.id);
        const sending: Promise<void> = deliver(row).finally(() => {
          inFlight.delete(sending);
          busy.delete(row.contactPoint.id);
          if (!stopped) void pump();
        });
        inFlight.add(sending);
      }
      // A full batch suggests more are due (for other contact points).
      if (rows.length === free) again = true;
    } while (again && !stopped);
  };

  const schedule = () => {
    timer = setTimeout(() => {
      void pump().finally(() => {
        if (!stopped) schedule();
      });
    }, pollMs);
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void pump();
      schedule();
      if (options.retentionMs !== undefined) {
        const retentionMs = options.retentionMs;
        pruneTimer = setInterval(() => {
          store.prune(now() - retentionMs).catch((error: unknown) => log.warn("pruning sent notifications failed", { error: error instanceof Error ? error.message : String(error) }));
        }, 3_600_000);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(pruneTimer);
      // A claim under way may still hand rows over: wait for it, then for every send it started.
      await pumping;
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
