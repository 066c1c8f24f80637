import { z } from "zod";
import { API_ERROR_CODES, describeZodError, type ApiErrorBody, type ApiErrorCode } from "@/lib/contracts/api";
import { isDatabaseUnreachable } from "@/lib/db/unreachable";
import { createLogger } from "@/lib/logger";

const log = createLogger("http");

/** Thrown anywhere in a handler to answer with the uniform error body. */
export class HttpError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function respond<T>(body: T, init: ResponseInit = {}): Response {
  return Response.json(body, {
    ...init,
    headers: { "cache-control": "no-store", ...init.headers },
  });
}

/**
 * An answer with no body (204 by default), with the same `no-store` header as every other answer:
 * a sign-out or a delete must not be served again from a cache.
 */
/** A text answer (a CSV download): not cached, like every answer of the API. */
export function respondText(body: string, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store", ...headers } });
}

export function respondNoContent(init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 204, ...init, headers });
}

export function respondError(code: ApiErrorCode, message: string): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return respond(body, { status: API_ERROR_CODES[code] });
}

/**
 * Parses a request's query string with `schema`. Unknown parameters are refused rather than
 * ignored, so a typo ("operators=") is an error and not a silently unfiltered answer.
 * A repeated parameter is read as a comma-separated list.
 */
export function parseQuery<Schema extends z.ZodObject>(request: Request, schema: Schema): z.output<Schema> {
  const params = new URL(request.url).searchParams;
  const known = Object.keys(schema.shape);
  const raw: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!known.includes(name)) {
      throw new HttpError(
        "bad_request",
        `unknown parameter '${name}'; expected ${known.length ? known.join(", ") : "none"}`,
      );
    }
    raw[name] = raw[name] === undefined ? value : `${raw[name]},${value}`;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError("bad_request", describeZodError(parsed.error));
  return parsed.data;
}

/** Validates a dynamic route segment (`[slug]`, `[id]`), naming it in the 400. */
export function parseParam<Schema extends z.ZodType>(name: string, value: string, schema: Schema): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError("bad_request", `${name} '${value.slice(0, 60)}': ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The default limit of a JSON body; a route may pass its own to parseJsonBody. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * True when a content-type header names JSON exactly: `application/json`, case-insensitive, with
 * at most a `charset=utf-8` parameter. A substring test would let a cross-site form post
 * (`text/plain; a=application/json`) through, and with it a CSRF that needs no preflight.
 */
export function isJsonMediaType(header: string | null): boolean {
  if (header === null) return false;
  const [essence = "", ...parameters] = header.split(";");
  if (essence.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    const separator = parameter.indexOf("=");
    if (separator < 0) return parameter.trim() === "";
    const name = parameter.slice(0, separator).trim().toLowerCase();
    const value = parameter.slice(separator + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    return name === "charset" && value === "utf-8";
  });
}

const tooLarge = (limit: number) => new HttpError("payload_too_large", `body is larger than ${limit} bytes`);

/**
 * Reads a request body as a stream, stopping with a 413 as soon as it passes `limit` bytes,
 * whatever its framing (content-length or chunked). In Next's route handlers `request.body` pulls
 * from the IncomingMessage on demand, so an oversize body is never held in memory. The stream is
 * released, not cancelled: cancelling would destroy the socket before the 413 could be sent.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads and validates a JSON body: 415 unless exactly JSON, 413 past `limit` bytes (64 KiB by
 * default) however the body is framed, 400 naming what is wrong (including text that is not UTF-8).
 */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  options: { limit?: number } = {},
): Promise<z.output<Schema>> {
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    throw new HttpError("unsupported_media_type", "expected a JSON body (content-type: application/json)");
  }
  const bytes = await readBodyBytes(request, options.limit ?? MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError("bad_request", "body is not valid JSON in UTF-8");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError("bad_request", describeZodError(parsed.error));
  return parsed.data;
}

type Handler<Context> = (request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler so that every failure leaves as the uniform error body: HttpError
 * with its own status, an unreachable database as 503, anything unexpected as a logged 500. A handler never crashes the process.
 */
export function handle<Context = unknown>(handler: Handler<Context>): Handler<Context> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof HttpError) return respondError(error.code, error.message);
      if (isDatabaseUnreachable(error)) {
        log.warn("database unreachable", { method: request.method, url: new URL(request.url).pathname });
        return respondError("unavailable", "the database cannot be reached; try again shortly");
      }
      log.error("request failed", {
        method: request.method,
        url: new URL(request.url).pathname,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return respondError("internal", "the server could not complete the request; the error is logged");
    }
  };
}
