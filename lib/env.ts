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
  /** "on": the dashboard needs signing in; wall screens use display tokens. */
  PULSE_AUTH: z.preprocess(emptyAsUnset, z.enum(["off", "on"], { error: "expected on or off" }).default("off")),
  /** The operators' password for signing in when PULSE_AUTH=on. */
  PULSE_ADMIN_PASSWORD: z.preprocess(emptyAsUnset, z.string().min(8, "expected at least 8 characters").optional()),
  /** Signs session cookies; set it so sessions survive restarts (a random one is used otherwise). */
  PULSE_SESSION_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, "expected at least 32 characters").optional()),
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
  if (env.PULSE_AUTH === "on" && !env.PULSE_ADMIN_PASSWORD) {
    ctx.addIssue({ code: "custom", path: ["PULSE_ADMIN_PASSWORD"], message: "required when PULSE_AUTH=on" });
  }
});

export type Env = z.infer<typeof envSchema>;

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
    return `${variable}: ${issue.message}${given === undefined ? "" : ` (got '${given}')`}`;
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
