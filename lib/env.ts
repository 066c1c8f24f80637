import { z } from "zod";

/**
 * The one place configuration is read. Every variable is validated at start; a bad value
 * stops the process with a message naming the variable. README.md lists them all.
 */
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

const port = (fallback: number) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: "expected a port number" })
      .int("expected a whole port number")
      .min(0, "expected a port between 0 and 65535")
      .max(65535, "expected a port between 0 and 65535")
      .default(fallback),
  );

const positiveNumber = (fallback: number, what: string) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce.number({ error: `expected ${what}` }).positive(`expected ${what} greater than 0`).default(fallback),
  );

const wholeNumber = (fallback: number, min: number, max: number, what: string) =>
  z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `expected ${what}` })
      .int(`expected whole ${what}`)
      .min(min, `expected at least ${min} ${what}`)
      .max(max, `expected at most ${max} ${what}`)
      .default(fallback),
  );

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUnset, z.enum(["development", "production", "test"]).default("production")),
  PORT: port(3000),
  HOST: z.preprocess(emptyAsUnset, z.string().default("0.0.0.0")),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// connection string")
      .optional(),
  ),
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  PULSE_DATA_DIR: z.preprocess(emptyAsUnset, z.string().default(".data")),
  EMBEDDED_PG_PORT: port(54329),
  LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(["debug", "info", "warn", "error"]).default("info")),
  /** "json": one JSON object a line (for log shippers); "pretty": coloured text. Unset: pretty under `npm run dev`, JSON otherwise. */
  LOG_FORMAT: z.preprocess(emptyAsUnset, z.enum(["json", "pretty"], { error: "expected json or pretty" }).optional()),
  /**
   * Bearer token that lets a scraper read GET /metrics from an address other than loopback
   * without signing in (`Authorization: Bearer <token>`). Unset: only loopback and signed-in people.
   */
  METRICS_TOKEN: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .min(16, "expected at least 16 characters")
      .max(200, "expected at most 200 characters")
      .regex(/^[\x21-\x7e]+$/, "expected printable ASCII without spaces")
      .optional(),
  ),
  /** Milliseconds between simulator ticks. */
  SIM_TICK_MS: wholeNumber(1000, 5, 60_000, "milliseconds"),
  /** Simulated seconds per real second: 60 shows an hour of traffic in a minute. */
  SIM_SPEED: positiveNumber(1, "a speed factor"),
  /** Seeds the simulator; processes with the same seed produce the same series. */
  SIM_SEED: z.preprocess(emptyAsUnset, z.string().min(1).default("m2m-pulse")),
  /** How much simulated history to back-fill when the history table has a hole (or is empty). */
  HISTORY_BACKFILL_HOURS: wholeNumber(168, 0, 24 * 31, "hours"),
  /** Rollups and alerts older than this are deleted, so the database does not grow forever. */
  HISTORY_RETENTION_DAYS: wholeNumber(30, 1, 3650, "days"),
  /** How often finished per-minute rollups are written to the database. */
  ROLLUP_FLUSH_MS: wholeNumber(5000, 100, 600_000, "milliseconds"),
  /** "off": series nobody measures show "no data" instead of the simulator's values (and no simulated history is back-filled). */
  SIMULATOR: z.preprocess(emptyAsUnset, z.enum(["on", "off"], { error: "expected on or off" }).default("on")),
  /** How far back a measured sample may be and still be accepted (it then corrects history). */
  INGEST_LATE_WINDOW_MINUTES: wholeNumber(1440, 1, 60 * 24 * 31, "minutes"),
  /** How far ahead of this server's clock a sample may be (the sender's clock skew). */
  INGEST_MAX_SKEW_SECONDS: wholeNumber(30, 0, 3600, "seconds"),
  /** HTTP ingest requests one key may make per second (each up to 5,000 samples); more get 429 with Retry-After. */
  INGEST_REQUESTS_PER_KEY_PER_SECOND: wholeNumber(50, 1, 100_000, "requests"),
  /** A measured series with no sample for this long shows as stale (its last value held). */
  MEASURED_STALE_SECONDS: wholeNumber(180, 1, 86_400, "seconds"),
  /** A stale series with no sample for this long goes back to the simulator (or to no data). */
  MEASURED_EXPIRE_SECONDS: wholeNumber(3600, 1, 7 * 86_400, "seconds"),
  /** An MQTT broker to subscribe to for measured samples (mqtt://, mqtts://, ws://, wss://); unset: no MQTT. */
  MQTT_URL: z.preprocess(emptyAsUnset, z.string().regex(/^(mqtts?|wss?):\/\/[^\s]+$/, "expected an mqtt://, mqtts://, ws:// or wss:// URL").optional()),
  /** This server's own credentials at the broker (the broker authenticates devices, not this server). */
  MQTT_USERNAME: z.preprocess(emptyAsUnset, z.string().max(256).optional()),
  MQTT_PASSWORD: z.preprocess(emptyAsUnset, z.string().max(1024).optional()),
  /**
   * This server's MQTT client id: fixed, so that its persistent session (and the QoS 1 messages
   * queued for it while it was away) survives a restart. Unset: `m2m-pulse-<host name>-<PORT>`.
   */
  MQTT_CLIENT_ID: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "expected 1–64 letters, digits, _, . or -").optional()),
  /** Topics subscribed: `<prefix>/<operator>/<sector>/connections`. */
  MQTT_TOPIC_PREFIX: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "expected topic levels of letters, digits, _ or -, separated by /").default("m2m")),
  /**
   * Cluster mode: a Redis every node shares (redis://, rediss://). Cross-node socket.io traffic
   * goes through it (@socket.io/redis-streams-adapter); unset, this is one process on its own.
   */
  REDIS_URL: z.preprocess(emptyAsUnset, z.string().regex(/^rediss?:\/\/[^\s]+$/, "expected a redis:// or rediss:// URL").optional()),
  /**
   * The cluster's name in Redis: the prefix of its stream, channels and keys, so that two clusters
   * (or parallel test runs) sharing one Redis never see each other's messages.
   */
  PULSE_CLUSTER: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "expected 1–64 letters, digits, _, . or -").default("m2m-pulse")),
  /**
   * Worker processes `npm start` runs on one port (node:cluster): a number, or "auto" for one per
   * core. Unset or 1: the server runs in the started process itself.
   */
  PULSE_WORKERS: z.preprocess(
    emptyAsUnset,
    z.union([z.literal("auto"), z.coerce.number({ error: 'expected a number of workers or "auto"' }).int('expected a whole number of workers or "auto"').min(1, "expected at least 1 worker").max(64, "expected at most 64 workers")]).default(1),
  ),
  /**
   * Viewing only: "off" lets anyone view dashboards and walls; "on" asks for a signed-in account
   * (or a display token, for its wall). Changing anything always needs a signed-in account.
   */
  PULSE_AUTH: z.preprocess(emptyAsUnset, z.enum(["off", "on"], { error: "expected on or off" }).default("off")),
  /** The first admin's password when no admin exists yet (otherwise a random one is generated). */
  PULSE_ADMIN_PASSWORD: z.preprocess(emptyAsUnset, z.string().min(8, "expected at least 8 characters").max(200, "expected at most 200 characters").optional()),
  /** Retired (sessions live in the database now); read only so that the start can say it is ignored. */
  PULSE_SESSION_SECRET: z.preprocess(emptyAsUnset, z.string().optional()),
  /** "1": behind a reverse proxy; X-Forwarded-For gives the client's address and X-Forwarded-Proto=https marks cookies Secure. */
  PULSE_TRUST_PROXY: z.preprocess(emptyAsUnset, z.enum(["0", "1"], { error: "expected 0 or 1" }).default("0").transform((value) => value === "1")),
  /** Sockets open at once from one remote address (a control room behind one NAT address shares it). */
  SOCKET_CONNECTIONS_PER_ADDRESS: wholeNumber(300, 1, 1_000_000, "connections"),
  /** New socket connections one remote address may open per minute. */
  SOCKET_CONNECTS_PER_ADDRESS_PER_MINUTE: wholeNumber(600, 1, 1_000_000, "connections"),
  /** Stream subscriptions one remote address may make per minute, over all its sockets. */
  SOCKET_SUBSCRIPTIONS_PER_ADDRESS_PER_MINUTE: wholeNumber(1_200, 1, 10_000_000, "subscriptions"),
  /** Unsent bytes a socket may hold before its ticks are dropped (it is lagging). */
  SOCKET_SEND_BUFFER_SOFT_BYTES: wholeNumber(256 * 1024, 1024, 1024 ** 3, "bytes"),
  /** Unsent bytes past which a socket is closed. */
  SOCKET_SEND_BUFFER_HARD_BYTES: wholeNumber(512 * 1024, 1024, 1024 ** 3, "bytes"),
  /** A socket lagging for longer than this is closed. */
  SOCKET_LAG_TIMEOUT_MS: wholeNumber(30_000, 100, 3_600_000, "milliseconds"),
  /** Updates of a still-open alert sent to a contact point at most once per this many seconds (a contact point may set its own). */
  NOTIFY_REPEAT_INTERVAL_SECONDS: wholeNumber(3600, 0, 86_400, "seconds"),
  /** Tries per notification before it is dead-lettered (shown on /admin/notifications with "send again"). */
  NOTIFY_MAX_ATTEMPTS: wholeNumber(8, 1, 50, "attempts"),
  /** The first retry's delay; each next one doubles, up to 15 minutes. */
  NOTIFY_BACKOFF_BASE_MS: wholeNumber(5000, 10, 3_600_000, "milliseconds"),
  /** How long one outgoing notification request may take, answer included. */
  NOTIFY_TIMEOUT_MS: wholeNumber(10_000, 100, 120_000, "milliseconds"),
  /** Notification requests in flight at once. */
  NOTIFY_CONCURRENCY: wholeNumber(4, 1, 64, "requests"),
  /**
   * Host names (optionally name:port) that requests may address, comma-separated, besides the
   * defaults (what the server listens on, localhost, 127.0.0.1, [::1]). Anything else is refused,
   * which defeats DNS rebinding. Behind a proxy, list the public name.
   */
  PULSE_ALLOWED_HOSTS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .transform((raw) => raw.split(",").map((entry) => entry.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, "expected host names or host:port, comma-separated")))
      .default([]),
  ),
  /**
   * Who may embed wall screens (/wall…) in a frame: CSP frame-ancestors sources, space-separated
   * (`https://signage.example.com 'self'`). Unset: nobody; every other page is never embeddable.
   */
  PULSE_FRAME_ANCESTORS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .transform((raw) => raw.split(/\s+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^('self'|(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:\d{1,5})?|https?:)$/i, "expected CSP sources such as https://signage.example.com or 'self', space-separated")))
      .optional(),
  ),
}).superRefine((env, ctx) => {
  if (env.MEASURED_EXPIRE_SECONDS <= env.MEASURED_STALE_SECONDS) {
    ctx.addIssue({ code: "custom", path: ["MEASURED_EXPIRE_SECONDS"], message: "expected more than MEASURED_STALE_SECONDS" });
  }
  if (env.SOCKET_SEND_BUFFER_HARD_BYTES <= env.SOCKET_SEND_BUFFER_SOFT_BYTES) {
    ctx.addIssue({ code: "custom", path: ["SOCKET_SEND_BUFFER_HARD_BYTES"], message: "expected more than SOCKET_SEND_BUFFER_SOFT_BYTES" });
  }
});

export type Env = z.infer<typeof envSchema>;

/** Variables whose value an error message must never repeat: it would land in a log. */
const SECRET_VARIABLES = new Set(["PULSE_ADMIN_PASSWORD", "PULSE_SESSION_SECRET", "METRICS_TOKEN", "DATABASE_URL", "REDIS_URL", "MQTT_PASSWORD"]);

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "?");
    const given = source[variable];
    const shown = given === undefined || SECRET_VARIABLES.has(variable) ? "" : ` (got '${given}')`;
    return `${variable}: ${issue.message}${shown}`;
  });
  throw new EnvError(`invalid configuration: ${problems.join("; ")}`);
}

const cache = globalThis as typeof globalThis & { __pulseEnv?: Env };

/** The validated environment of this process, parsed once. */
export function getEnv(): Env {
  cache.__pulseEnv ??= parseEnv(process.env);
  return cache.__pulseEnv;
}

/** For the start sequence, which changes DATABASE_URL after starting the embedded database. */
export function resetEnvCache(): void {
  delete cache.__pulseEnv;
}
