import { createServer } from "node:net";
import pg from "pg";
import { chromium, type Browser } from "@playwright/test";
import { dropDatabase } from "@/lib/db/admin";
import type { RunningServer } from "@/e2e/support/server";
import { CHROMIUM_ARGS } from "./chromium";

export { CHROMIUM_ARGS };

/**
 * What the benchmarks, the soak test and the screenshot script share: Debian's Chromium with the
 * flags this network needs, ports that must be free, leftover databases, waiting for history, and
 * an orderly cleanup on success, failure or Ctrl-C.
 */

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server must be ours: a server already on the port would answer our health check. */
export async function assertPortFree(port: number, why: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`port ${port} is in use: ${why}`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Ctrl-C also stops the embedded PostgreSQL (same process group) before a run can drop its
 * database, and a killed run drops nothing. Such leftovers (`<prefix>…`) are dropped at the next
 * start, only on the embedded cluster, which no other run can be using then (its port was free).
 */
export async function dropLeftoverDatabases(serverUrl: string, prefix: string): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    for (const { datname } of rows) await dropDatabase(serverUrl, datname);
  } finally {
    await client.end();
  }
}

/**
 * Polls `check` until it returns a value, failing with `what` after `timeoutMs`, or at once
 * if the server has exited (its output then says why).
 */
export async function waitFor<T>(what: string, timeoutMs: number, server: RunningServer, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (server.process.exitCode !== null) throw new Error(`the server exited with ${server.process.exitCode} while waiting for ${what}:\n${server.output()}`);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

/** The server answers before its back-fill is done: wait until (nearly) every minute of the last day has data. */
export async function waitForDayOfHistory(server: RunningServer): Promise<void> {
  await waitFor("a day of back-filled history (/api/history)", 180_000, server, async () => {
    const response = await fetch(`${server.url}/api/history?span=86400&points=1440`).catch(() => undefined);
    if (!response?.ok) return undefined;
    const mean = ((await response.json()) as { series: { mean: (number | null)[] }[] }).series[0]?.mean ?? [];
    return mean.length >= 1400 && mean[0] !== null && mean.filter((value) => value !== null).length >= mean.length - 5 ? true : undefined;
  });
}

/** SIGTERM, then SIGKILL if the server has not exited in 15 s. */
export async function stopServer(server: RunningServer): Promise<void> {
  const stopped = server.stop("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([stopped, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), 15_000)))]);
  clearTimeout(timer);
  if (code === "timeout") {
    server.process.kill("SIGKILL");
    await stopped;
    throw new Error("the server did not stop within 15 s of SIGTERM and was killed");
  }
  if (code !== 0) console.error(`the server exited with ${code}:\n${server.output()}`);
}

/**
 * Steps undone in reverse order, once, on success, failure or Ctrl-C: nothing is left running or
 * behind. Call `install()` before the first step.
 */
export function createCleanup() {
  const steps: { what: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const run = () =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`cleanup: could not ${step.what}:`, error);
        }
      }
    })());
  return {
    add: (what: string, step: () => Promise<unknown>) => void steps.push({ what, run: step }),
    run,
    install() {
      // Output into a closed pipe (`| head`) would end the process before its cleanup: ignore it.
      for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
      // Ctrl-C reaches the process twice (from the terminal and relayed by tsx): a handler that
      // stayed only once would let the second one end the process half-way through its cleanup.
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
          if (!cleaning) console.error(`\n${signal}: stopping the server and dropping the database`);
          void run().finally(() => process.exit(130));
        });
      }
    },
  };
}
