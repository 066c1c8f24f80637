import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Where benchmark figures go, and which ports the benchmarks use.
 *
 * A run writes to bench/results/runs/ (ignored by git): figures from whatever machine runs them
 * must not overwrite the recorded ones. `--record` writes the tracked bench/results/<name>.json
 * instead, on purpose, when the figures in bench/README.md are retaken.
 */
export async function writeResult(name: string, result: unknown, record: boolean): Promise<string> {
  const file = record
    ? path.join("bench", "results", `${name}.json`)
    : path.join("bench", "results", "runs", `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * A port from the environment, or the benchmark's default: BENCH_PORT for the server it starts,
 * BENCH_EMBEDDED_PG_PORT for its embedded PostgreSQL (when DATABASE_URL is unset), so two
 * checkouts can run benchmarks side by side.
 */
export function benchPort(variable: "BENCH_PORT" | "BENCH_EMBEDDED_PG_PORT", fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${variable} must be a port number (1–65535), got '${raw}'`);
    process.exit(2);
  }
  return port;
}
