import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { requestOrigin } from "@/lib/auth/actor";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { operatorsOutsideScope, type CheckedBatch } from "@/lib/domain/ingest/samples";
import { WarningThrottle } from "@/lib/domain/warning-throttle";
import { findActiveIngestKey, touchIngestKey, type ActiveIngestKey } from "@/lib/db/ingest-keys";
import { getEnv } from "@/lib/env";
import { HttpError, respond } from "@/lib/http/respond";
import { createLogger } from "@/lib/logger";

const log = createLogger("ingest");

/**
 * The body limit of both HTTP ways in: 5,000 samples of JSON or line protocol fit (about 110
 * bytes each), and it is the edge's own ceiling for any request (server/http-edge.ts).
 */
export const MAX_INGEST_BODY_BYTES = 1024 * 1024;

/** Unknown or revoked keys one address may present per minute before it is told to wait. */
const BAD_KEYS_PER_ADDRESS_PER_MINUTE = 30;

/**
 * The key in an Authorization header: `Bearer <key>` (Grafana, curl, the replay tool) or
 * `Token <key>` (InfluxDB's own scheme, which Telegraf and Influx client libraries send).
 */
export function ingestSecretOf(header: string | null): string | null {
  if (header === null) return null;
  const match = /^\s*(?:bearer|token)\s+(\S{1,200})\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** An answer that is not the uniform error body's plain shape: it carries headers. */
class IngestRefusal extends Error {
  constructor(readonly response: Response) {
    super("ingest refused");
  }
}

const errorBody = (code: ApiErrorBody["error"]["code"], message: string): ApiErrorBody => ({ error: { code, message } });

interface Limiters {
  perKey: RateLimiterMemory;
  badKeys: RateLimiterMemory;
  refusalLog: WarningThrottle;
}

// Route handlers are bundled one by one: the limiters are shared through globalThis so that both
// ingest routes count against the same budget.
const shared = globalThis as typeof globalThis & { __pulseIngestLimiters?: Limiters };

function limiters(): Limiters {
  shared.__pulseIngestLimiters ??= {
    perKey: new RateLimiterMemory({ keyPrefix: "ingest-key", points: getEnv().INGEST_REQUESTS_PER_KEY_PER_SECOND, duration: 1 }),
    badKeys: new RateLimiterMemory({ keyPrefix: "ingest-bad-key", points: BAD_KEYS_PER_ADDRESS_PER_MINUTE, duration: 60 }),
    refusalLog: new WarningThrottle(3, 30, 60_000, Date.now()),
  };
  return shared.__pulseIngestLimiters;
}

function tooManyRequests(refusal: unknown, message: string): IngestRefusal {
  const seconds = refusal instanceof RateLimiterRes ? Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) : 1;
  return new IngestRefusal(respond(errorBody("rate_limited", `${message}; retry after ${seconds} s`), { status: 429, headers: { "retry-after": String(seconds) } }));
}

/**
 * The key a request writes with, refusing 401 (no key, unknown or revoked: the same answer, so
 * nothing is learnt about which keys exist) and 429 past the per-key rate. Checked on every
 * request against the database: revoking a key takes effect at once.
 */
async function authorizeIngest(request: Request): Promise<ActiveIngestKey> {
  const { perKey, badKeys, refusalLog } = limiters();
  const address = requestOrigin(request).address ?? "unknown";
  const secret = ingestSecretOf(request.headers.get("authorization"));
  const key = secret === null ? null : await findActiveIngestKey(secret);
  if (!key) {
    try {
      await badKeys.consume(address);
    } catch (refusal) {
      throw tooManyRequests(refusal, "too many requests without a valid ingest key from this address");
    }
    if (refusalLog.admit("ingest refused: no valid key", address, Date.now())) log.warn("ingest refused: no valid key", { address, keyGiven: secret !== null });
    const message = secret === null ? "writing needs an ingest key: Authorization: Bearer <key> (or Token <key>)" : "this ingest key is not valid or has been revoked";
    throw new IngestRefusal(respond(errorBody("unauthorized", message), { status: 401, headers: { "www-authenticate": 'Bearer realm="m2m-pulse ingest"' } }));
  }
  try {
    await perKey.consume(String(key.id));
  } catch (refusal) {
    throw tooManyRequests(refusal, `ingest key '${key.label}' is over ${getEnv().INGEST_REQUESTS_PER_KEY_PER_SECOND} requests a second`);
  }
  // Bookkeeping only: a failure to note the use must not fail the write.
  touchIngestKey(key.id).catch((error: unknown) => log.warn("could not note an ingest key's use", { keyId: key.id, error: error instanceof Error ? error.message : String(error) }));
  return key;
}

/** 403 when a key limited to some operators sends samples for others: nothing of the batch is stored. */
export function checkKeyScope(key: ActiveIngestKey, batch: CheckedBatch): void {
  const outside = operatorsOutsideScope(batch.samples, key.operators);
  if (outside.length > 0) {
    throw new HttpError("forbidden", `ingest key '${key.label}' may write only ${key.operators.join(", ")}; this batch has samples for ${outside.join(", ")} (nothing was stored)`);
  }
}

/**
 * Wraps an ingest handler (itself inside `handle`): authorises first, and turns refusals that
 * carry headers (401 with WWW-Authenticate, 429 with Retry-After) into their responses.
 */
export function withIngestKey(handler: (request: Request, key: ActiveIngestKey) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      return await handler(request, await authorizeIngest(request));
    } catch (error) {
      if (error instanceof IngestRefusal) return error.response;
      throw error;
    }
  };
}
