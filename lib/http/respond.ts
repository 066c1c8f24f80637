import { z } from "zod";
import { API_ERROR_CODES, describeZodError, type ApiErrorBody, type ApiErrorCode } from "@/lib/contracts/api";
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

const MAX_BODY_BYTES = 64 * 1024;

/** Reads and validates a JSON body: 415 unless JSON, 413 past 64 KiB, 400 naming what is wrong. */
export async function parseJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.output<Schema>> {
  if (!(request.headers.get("content-type") ?? "").includes("application/json")) {
    throw new HttpError("unsupported_media_type", "expected a JSON body (content-type: application/json)");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError("payload_too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new HttpError("payload_too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError("bad_request", "body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError("bad_request", describeZodError(parsed.error));
  return parsed.data;
}

type Handler<Context> = (request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler so that every failure leaves as the uniform error body: HttpError
 * with its own status, anything unexpected as a logged 500. A handler never crashes the process.
 */
export function handle<Context = unknown>(handler: Handler<Context>): Handler<Context> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof HttpError) return respondError(error.code, error.message);
      log.error("request failed", {
        method: request.method,
        url: new URL(request.url).pathname,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return respondError("internal", "the server could not complete the request; the error is logged");
    }
  };
}
