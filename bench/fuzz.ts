/**
 * `npm run fuzz`: random requests to every HTTP route and random payloads to every socket event
 * (test/fuzz/fuzzer.ts), counted by route and status. Fails on any answer >= 500 (but a 503 while
 * the database is deliberately cut), a request left without answer, or a server that exits or stops
 * answering /api/health.
 *
 *   npm run fuzz                        # builds nothing: starts dist/server.js on a throwaway database
 *   npm run fuzz -- --runs 20000        # a long run; the last fifth with the database cut
 *   npm run fuzz -- --url http://127.0.0.1:3000   # a server already running (database left alone)
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { assertPortFree, createCleanup, stopServer } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { startTcpProxy } from "@/test/support/tcp-proxy";
import { formatReport, runFuzz, type FuzzReport } from "@/test/fuzz/fuzzer";

const { values: options } = parseArgs({
  options: {
    url: { type: "string" },
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    concurrency: { type: "string", default: "4" },
    port: { type: "string", default: process.env.FUZZ_PORT ?? "3171" },
    "database-down-share": { type: "string", default: "0.2" },
  },
});

const runs = Number(options.runs);
const seed = options.seed === undefined ? undefined : Number(options.seed);
const concurrency = Number(options.concurrency);
const log = (line: string) => console.error(`fuzz: ${line}`);

function merge(into: FuzzReport, from: FuzzReport): FuzzReport {
  for (const [key, value] of from.http) into.http.set(key, (into.http.get(key) ?? 0) + value);
  for (const [key, value] of from.socket) into.socket.set(key, (into.socket.get(key) ?? 0) + value);
  into.cases += from.cases;
  into.failures.push(...from.failures);
  into.crashes.push(...from.crashes);
  return into;
}

async function main(): Promise<number> {
  if (options.url) {
    const url = new URL(options.url);
    const report = await runFuzz({ url: options.url, runs, seed, concurrency, goodHosts: [url.host], log });
    console.log(formatReport(report));
    return report.failures.length === 0 && report.crashes.length === 0 ? 0 : 1;
  }

  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    log("no build found; run `npm run build` first (or give --url)");
    return 1;
  }
  const port = Number(options.port);
  await assertPortFree(port, "the fuzzer starts its own server there (--port)");
  const cleanup = createCleanup();
  cleanup.install();
  let server: RunningServer | undefined;
  try {
    const postgres = await providePostgresServer("fuzz-postgres", Number(process.env.FUZZ_EMBEDDED_PG_PORT ?? 54389));
    cleanup.add("stop the fuzz PostgreSQL", () => postgres.stop());
    const name = `pulse_fuzz_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanup.add(`drop ${name}`, () => dropDatabase(postgres.url, name));
    // The server reaches its database through a relay the fuzzer can cut.
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.add("close the database relay", () => proxy.close());
    const throughProxy = new URL(databaseUrl);
    throughProxy.hostname = "127.0.0.1";
    throughProxy.port = String(proxy.port);
    server = await startServer({ port, env: { DATABASE_URL: throughProxy.toString(), LOG_LEVEL: "error", HISTORY_BACKFILL_HOURS: "1" }, timeoutMs: 60_000 });
    const running = server;
    cleanup.add("stop the server", () => stopServer(running));

    const common = {
      url: server.url,
      concurrency,
      goodHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
      assertAlive: () => {
        if (running.process.exitCode !== null) throw new Error(`the server exited with ${running.process.exitCode}`);
      },
      log,
    };
    const downRuns = Math.round(runs * Math.min(1, Math.max(0, Number(options["database-down-share"]))));
    log(`${runs - downRuns} cases with the database up, then ${downRuns} with it cut`);
    const report = await runFuzz({ ...common, runs: runs - downRuns, seed });
    if (downRuns > 0 && report.crashes.length === 0) {
      await proxy.cut();
      // Pages check the database at most once a second: start once the server has seen it go.
      const noticed = Date.now() + 30_000;
      while ((await fetch(`${server.url}/wall`).catch(() => undefined))?.status !== 503) {
        if (Date.now() > noticed) throw new Error("pages did not answer 503 within 30 s of the database going away");
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      merge(report, await runFuzz({ ...common, runs: downRuns, seed: (seed ?? report.seed) + runs, databaseDown: () => true }));
      await proxy.restore();
      // Back to 200 once the database is reachable again.
      const deadline = Date.now() + 30_000;
      while (true) {
        const health = await fetch(`${server.url}/api/health`).catch(() => undefined);
        if (health?.status === 200) break;
        if (Date.now() > deadline) {
          report.crashes.push("/api/health did not return to 200 within 30 s of the database coming back");
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    console.log(formatReport(report));
    if (report.crashes.length > 0) console.error(server.output().slice(-4000));
    return report.failures.length === 0 && report.crashes.length === 0 ? 0 : 1;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
