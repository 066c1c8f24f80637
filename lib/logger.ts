/**
 * The one logger: a line per event, `time level message key=value…`, errors to stderr.
 * Plain text rather than JSON because the people reading it are operators at a terminal.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

interface LogCapture {
  level: LogLevel;
  lines: string[];
}

const state = globalThis as typeof globalThis & { __pulseLogLevel?: LogLevel; __pulseLogCapture?: LogCapture };

export function setLogLevel(level: LogLevel): void {
  state.__pulseLogLevel = level;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

function write(level: LogLevel, scope: string, message: string, fields?: LogFields): void {
  const capture = state.__pulseLogCapture;
  if (ORDER[level] < ORDER[capture?.level ?? state.__pulseLogLevel ?? "info"]) return;
  const extra = fields
    ? Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ` ${key}=${formatValue(value)}`)
        .join("")
    : "";
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}${extra}\n`;
  if (capture) capture.lines.push(line);
  else (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line);
}

/**
 * For tests: from now until `stop()`, lines at `level` and above are kept in `lines` instead of
 * being printed, so a test can assert on the lines it provokes and they do not clutter the output.
 */
export function captureLogs(level: LogLevel = "info"): { lines: string[]; stop(): void } {
  const capture: LogCapture = { level, lines: [] };
  state.__pulseLogCapture = capture;
  return {
    lines: capture.lines,
    stop: () => {
      if (state.__pulseLogCapture === capture) state.__pulseLogCapture = undefined;
    },
  };
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(scope: string): Logger {
  return {
    debug: (message, fields) => write("debug", scope, message, fields),
    info: (message, fields) => write("info", scope, message, fields),
    warn: (message, fields) => write("warn", scope, message, fields),
    error: (message, fields) => write("error", scope, message, fields),
  };
}
