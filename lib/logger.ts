/**
 * The one logger: a line per event, `time level message key=value…`, errors to stderr.
 * Plain text rather than JSON because the people reading it are operators at a terminal.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const state = globalThis as typeof globalThis & { __pulseLogLevel?: LogLevel };

export function setLogLevel(level: LogLevel): void {
  state.__pulseLogLevel = level;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

function write(level: LogLevel, scope: string, message: string, fields?: LogFields): void {
  if (ORDER[level] < ORDER[state.__pulseLogLevel ?? "info"]) return;
  const extra = fields
    ? Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ` ${key}=${formatValue(value)}`)
        .join("")
    : "";
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}${extra}\n`;
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line);
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
