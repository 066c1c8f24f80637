import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import path from "node:path";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

/**
 * The one logger, on pino: one JSON object a line by default (what log shippers and `jq` read),
 * coloured text through pino-pretty under `npm run dev` (LOG_FORMAT). Warnings and errors go to
 * stderr, the rest to stdout. Every line written while a request is handled carries its
 * `requestId`. Secrets never reach a line: known secret fields are redacted by name, and the
 * written line is scrubbed of anything shaped like a session cookie, display token or bearer token.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

interface LogCapture {
  level: LogLevel;
  lines: string[];
}

interface RequestContext {
  requestId: string;
}

interface LoggerState {
  level: LogLevel;
  format: LogFormat;
  capture?: LogCapture;
  root: PinoLogger;
  requests: AsyncLocalStorage<RequestContext>;
  pretty?: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } | null;
}

/** Field names whose values are secrets, wherever they appear (top level or one level down). */
const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "secret",
  "token",
  "displayToken",
  "sessionId",
  "sessionKey",
  "cookie",
  "authorization",
  "metricsToken",
  "ingestKey",
  "apiKey",
];
export const REDACTED = "[redacted]";

/**
 * Values shaped like secrets, wherever they appear in a line (a message, an error text, a URL):
 * session and display cookies, `?token=` in a wall URL, bearer tokens.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(pulse_(?:session|display)=)[^;\s"\\]+/g, `$1${REDACTED}`],
  [/([?&]token=)[^&\s"\\]+/gi, `$1${REDACTED}`],
  [/(bearer\s+)[^\s"\\]+/gi, `$1${REDACTED}`],
];

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

// On globalThis: the custom server and Next's route handlers load separate copies of this
// module; they share one configuration, one capture and one request context.
const holder = globalThis as typeof globalThis & { __pulseLogger?: LoggerState };

function levelOfLine(line: string): LogLevel {
  const match = /"level":"(\w+)"/.exec(line);
  return (match?.[1] as LogLevel | undefined) ?? "info";
}

/** `time LEVEL [scope] message key=value…`: how captured lines read (tests match on it). */
function asText(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, scope, msg, ...fields } = record;
  const extra = Object.entries(fields)
    .map(([key, value]) => ` ${key}=${typeof value === "string" ? (/[\s="]/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`)
    .join("");
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)} [${String(scope)}] ${String(msg)}${extra}\n`;
}

/** pino-pretty, a development dependency: loaded only when asked for, and absent in production installs. */
function prettyStreams(current: LoggerState): LoggerState["pretty"] {
  if (current.pretty !== undefined) return current.pretty;
  try {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    const build = require("pino-pretty") as (options: Record<string, unknown>) => NodeJS.WritableStream;
    const options = { colorize: true, sync: true, singleLine: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,scope", messageFormat: "[{scope}] {msg}" };
    current.pretty = { out: build({ ...options, destination: 1 }), err: build({ ...options, destination: 2 }) };
  } catch {
    current.pretty = null;
  }
  return current.pretty;
}

/** Where pino's lines go: the test capture, pino-pretty, or stdout/stderr as JSON. */
function sink(toStderr: boolean): DestinationStream {
  return {
    write(raw: string) {
      const current = state();
      const line = scrubSecrets(raw);
      if (current.capture) {
        if (ORDER[levelOfLine(line)] >= ORDER[current.capture.level]) current.capture.lines.push(asText(line));
        return;
      }
      const pretty = current.format === "pretty" ? prettyStreams(current) : null;
      if (pretty) (toStderr ? pretty.err : pretty.out).write(line);
      else if (current.format === "pretty") (toStderr ? process.stderr : process.stdout).write(asText(line));
      else (toStderr ? process.stderr : process.stdout).write(line);
    },
  };
}

function state(): LoggerState {
  if (!holder.__pulseLogger) {
    const requests = new AsyncLocalStorage<RequestContext>();
    const root = pino(
      {
        // Levels are filtered in `write` below (the capture can lower them for a test).
        level: "debug",
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...SECRET_KEYS, ...SECRET_KEYS.map((key) => `*.${key}`)], censor: REDACTED },
        mixin: () => {
          const context = requests.getStore();
          return context ? { requestId: context.requestId } : {};
        },
      },
      pino.multistream(
        [
          { level: "debug", stream: sink(false) },
          { level: "warn", stream: sink(true) },
        ],
        { dedupe: true },
      ),
    );
    holder.__pulseLogger = { level: "info", format: "json", root, requests };
  }
  return holder.__pulseLogger;
}

export function setLogLevel(level: LogLevel): void {
  state().level = level;
}

/** LOG_LEVEL and LOG_FORMAT (unset format: pretty in development, JSON otherwise). */
export function configureLogger(options: { level: LogLevel; format?: LogFormat | undefined; development: boolean }): void {
  const current = state();
  current.level = options.level;
  current.format = options.format ?? (options.development ? "pretty" : "json");
}

/**
 * For tests: from now until `stop()`, lines at `level` and above are kept in `lines` (as
 * `time LEVEL [scope] message key=value…` text) instead of being printed, so a test can assert on
 * the lines it provokes and they do not clutter the output.
 */
export function captureLogs(level: LogLevel = "info"): { lines: string[]; stop(): void } {
  const capture: LogCapture = { level, lines: [] };
  const current = state();
  current.capture = capture;
  return {
    lines: capture.lines,
    stop: () => {
      if (current.capture === capture) current.capture = undefined;
    },
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A client's X-Request-Id if it is short and harmless in a log line and a header; otherwise null. */
export function acceptableRequestId(offered: string | string[] | undefined): string | null {
  const value = Array.isArray(offered) ? offered[0] : offered;
  return value !== undefined && REQUEST_ID.test(value) ? value : null;
}

/** Runs `work` with `requestId` on every line it (and whatever it awaits) logs. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return state().requests.run({ requestId }, work);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return state().requests.getStore()?.requestId;
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(scope: string): Logger {
  const current = state();
  const child = current.root.child({ scope });
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[current.capture?.level ?? current.level]) return;
    const values = fields ? Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? value.message : value])) : undefined;
    if (values) child[level](values, message);
    else child[level](message);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
