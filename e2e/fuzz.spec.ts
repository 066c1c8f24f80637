import { expect, test } from "@playwright/test";
import { formatReport, runFuzz } from "@/test/fuzz/fuzzer";
import { E2E_PORT } from "./support/ports";
import { startOwnServer } from "./support/own-server";

test("a short fuzz run: no answer >= 500 and no crash over every route and socket event", async () => {
  test.setTimeout(180_000);
  // A server of its own: the fuzzer deletes playlists and triggers incidents.
  const port = E2E_PORT + 11;
  const own = await startOwnServer(port, { HISTORY_BACKFILL_HOURS: "0" });
  try {
    const report = await runFuzz({
      url: own.url,
      runs: 300,
      concurrency: 3,
      goodHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
      assertAlive: () => {
        if (own.server.process.exitCode !== null) throw new Error(`the server exited with ${own.server.process.exitCode}`);
      },
    });
    await test.info().attach("fuzz report", { body: formatReport(report), contentType: "text/plain" });
    expect(report.crashes).toEqual([]);
    expect(report.failures.map((failure) => `${failure.outcome} ← ${JSON.stringify(failure.case).slice(0, 300)}`)).toEqual([]);
    expect(report.cases).toBe(300);
  } finally {
    await own.dispose();
  }
});
