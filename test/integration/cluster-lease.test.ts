import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HealthResponse } from "@/lib/contracts/health";
import { MINUTE_MS, minuteOf } from "@/lib/domain/rollups";
import { SERIES, SERIES_COUNT } from "@/lib/domain/series";
import { backfillMinutes } from "@/lib/domain/simulator/backfill";
import { manualIncident, type Incident } from "@/lib/domain/simulator/incidents";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import { clusterEnv, startClusterNode, type ClusterNodeProcess } from "../support/cluster";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { withClient } from "../support/pg-client";
import { eventually } from "../support/stream-server";

const SEED = "cluster-lease";
const TICK_MS = 1000;

interface StoredRollup {
  operator: string;
  sector: string;
  minute_ms: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  samples: number;
  backfilled: boolean;
}

interface StoredAlert {
  id: number;
  operator: string;
  sector: string | null;
  raised_ms: number;
  resolved_ms: number | null;
}

/** What a live minute holds: the model at every tick instant of it (the incidents the nodes were given included). */
function liveMinute(model: ConnectionModel, minuteMs: number, seriesIndex: number, incidents: Incident[]) {
  const values = Array.from({ length: MINUTE_MS / TICK_MS }, (_, tick) => model.valuesAt(minuteMs + tick * TICK_MS, incidents)[seriesIndex]!);
  return { min: Math.min(...values), max: Math.max(...values), mean: values.reduce((sum, value) => sum + value, 0) / values.length, last: values.at(-1)!, samples: values.length };
}

/** Waits until `lastMinute` is written, then reads every rollup from `fromMinute` to it. */
function rollupsUpTo(url: string, fromMinute: number, lastMinute: number): Promise<StoredRollup[]> {
  return eventually(
    `the minutes up to ${new Date(lastMinute).toISOString()} written`,
    async () => {
      const rows = await withClient(url, async (client) =>
        (
          await client.query<StoredRollup>(
            `SELECT operator_slug AS operator, sector_slug AS sector, (extract(epoch FROM minute) * 1000)::float8 AS minute_ms,
                    min, max, mean, last, samples, backfilled
               FROM connection_rollup WHERE minute >= to_timestamp($1::float8 / 1000) AND minute <= to_timestamp($2::float8 / 1000)
              ORDER BY minute, operator_slug, sector_slug`,
            [fromMinute, lastMinute],
          )
        ).rows,
      );
      return rows.some((row) => row.minute_ms === lastMinute) && rows;
    },
    200_000,
  );
}

/**
 * Every minute of every series from `fromMinute` to `lastMinute` there once, with the value the
 * deterministic simulator gives it: a live minute from every tick (a doubled one has twice the
 * samples), a back-filled one as the back-fill computes it. Returns what is wrong.
 */
function rollupProblems(rollups: StoredRollup[], fromMinute: number, lastMinute: number, incidents: Incident[]): string[] {
  const model = new ConnectionModel(SEED);
  const expectedMinutes = (lastMinute - fromMinute) / MINUTE_MS + 1;
  const problems: string[] = rollups.length === expectedMinutes * SERIES_COUNT ? [] : [`${rollups.length} rows, expected ${expectedMinutes} minutes × ${SERIES_COUNT} series`];
  for (const row of rollups) {
    const seriesIndex = SERIES.findIndex((series) => series.operator === row.operator && series.sector === row.sector);
    const expected = row.backfilled
      ? backfillMinutes(model, row.minute_ms, row.minute_ms + MINUTE_MS).find((minute) => minute.seriesIndex === seriesIndex)!
      : liveMinute(model, row.minute_ms, seriesIndex, incidents);
    const at = `${new Date(row.minute_ms).toISOString()} ${row.operator}:${row.sector}${row.backfilled ? " (back-filled)" : ""}`;
    if (row.samples !== expected.samples) problems.push(`${at}: ${row.samples} samples, expected ${expected.samples}`);
    else if (row.min !== expected.min || row.max !== expected.max || row.last !== expected.last || Math.abs(row.mean - expected.mean) > 1e-6 * expected.mean) {
      problems.push(`${at}: ${JSON.stringify(row)} expected ${JSON.stringify(expected)}`);
    }
  }
  return problems;
}

/** The lease holder a node's /api/health names. */
async function holderSeenBy(node: ClusterNodeProcess): Promise<string | null | undefined> {
  return ((await node.health()) as HealthResponse | undefined)?.cluster?.leaseHolder;
}

/** Waits until both nodes name the same holder; returns it and the other. */
async function agreedHolder(a: ClusterNodeProcess, b: ClusterNodeProcess) {
  const holderName = await eventually(
    "both nodes naming one lease holder",
    async () => {
      const [seenByA, seenByB] = [await holderSeenBy(a), await holderSeenBy(b)];
      return (seenByA && seenByA === seenByB && seenByA) || undefined;
    },
    60_000,
  );
  expect(holderName).toMatch(new RegExp(`:(${a.pid}|${b.pid})$`));
  const holder = holderName.endsWith(`:${a.pid}`) ? a : b;
  return { holder, other: holder === a ? b : a };
}

describe("the singletons' lease across real cluster nodes on one database", () => {
  let database: TestDatabase;
  const nodes: ClusterNodeProcess[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop("SIGKILL");
    await database.drop();
  });

  it(
    "runs the singletons on exactly one node; after its SIGKILL another takes over within 15 s, adopts its open alert, and no rollup minute is missing or doubled",
    { timeout: 400_000 },
    async () => {
      const env = clusterEnv(database.url, { SIM_SEED: SEED, SIM_TICK_MS: String(TICK_MS), HISTORY_BACKFILL_HOURS: "1", ROLLUP_FLUSH_MS: "1000" });
      const a = await startClusterNode(env);
      nodes.push(a);
      const firstMinute = minuteOf(Date.now());
      const b = await startClusterNode(env);
      nodes.push(b);

      // Exactly one holder, and both nodes name the same one.
      const { holder, other } = await agreedHolder(a, b);
      expect(other.output()).not.toContain("this node holds the lease");
      const leaseLocks = () =>
        withClient(database.url, async (client) => (
          await client.query(
            `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND objid = 1
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )
        ).rowCount);
      expect(await leaseLocks()).toBe(1);

      // The same outage on both nodes (the cluster bus carries a triggered incident to every node in the product).
      const incident = manualIncident("outage", { operator: "china-unicom", sector: null }, Math.ceil((Date.now() + 2_000) / TICK_MS) * TICK_MS, {
        magnitude: 0.6,
        durationMs: 40_000,
      });
      for (const node of [a, b]) {
        const response = await fetch(`${node.url}/test/incident`, { method: "POST", body: JSON.stringify(incident) });
        expect(response.status).toBe(204);
      }
      const alertsOf = () =>
        withClient(database.url, async (client) =>
          (
            await client.query<StoredAlert>(
              `SELECT id, operator_slug AS operator, sector_slug AS sector, (extract(epoch FROM raised_at) * 1000)::float8 AS raised_ms,
                      (extract(epoch FROM resolved_at) * 1000)::float8 AS resolved_ms
                 FROM alert ORDER BY raised_at, id`,
            )
          ).rows,
        );
      const raised = await eventually("the holder raising the outage's alert", async () => (await alertsOf()).find((alert) => alert.operator === "china-unicom" && alert.sector === null), 30_000);
      expect(raised.resolved_ms).toBeNull();

      // The holder dies; the other takes the lease over within 15 s (polled, not slept).
      await holder.stop("SIGKILL");
      const killedAt = Date.now();
      await eventually("the surviving node holding the lease", async () => (await holderSeenBy(other))?.endsWith(`:${other.pid}`), 15_000);
      const takeoverMs = Date.now() - killedAt;
      expect(other.output()).toContain("this node holds the lease");
      const takeoverMinute = minuteOf(Date.now());

      // Every minute from the back-filled hour to the one after the takeover is there once, with the right value.
      // Up to the first minute the new holder saw whole from its start, written live.
      const lastMinute = takeoverMinute + MINUTE_MS;
      const rollups = await rollupsUpTo(database.url, firstMinute - 60 * MINUTE_MS, lastMinute);
      // The adopted alert is carried on to its end: resolved once, never raised again.
      await eventually("the adopted alert resolved", async () => (await alertsOf()).find((alert) => alert.id === raised.id && alert.resolved_ms !== null), 120_000);
      const alerts = await alertsOf();
      const bySubject = new Map<string, StoredAlert[]>();
      for (const alert of alerts) bySubject.set(`${alert.operator}:${alert.sector ?? "*"}`, [...(bySubject.get(`${alert.operator}:${alert.sector ?? "*"}`) ?? []), alert]);
      expect(bySubject.get("china-unicom:*")!.map((alert) => alert.id)).toEqual([raised.id]);
      for (const [subject, ofSubject] of bySubject) {
        // No subject has two alerts open at once: none was raised twice.
        for (let index = 1; index < ofSubject.length; index++) {
          expect(ofSubject[index - 1]!.resolved_ms, subject).not.toBeNull();
          expect(ofSubject[index - 1]!.resolved_ms!, subject).toBeLessThanOrEqual(ofSubject[index]!.raised_ms);
        }
      }

      expect(rollupProblems(rollups, firstMinute - 60 * MINUTE_MS, lastMinute, [incident])).toEqual([]);
      console.info(`lease takeover after SIGKILL of the holder: ${takeoverMs} ms (checked ${rollups.length / SERIES_COUNT} minutes × ${SERIES_COUNT} series)`);
    },
  );

  it(
    "hands the singletons over at a clean shutdown (SIGTERM) without writing the minute in progress twice",
    { timeout: 300_000 },
    async () => {
      const env = clusterEnv(database.url, { SIM_SEED: SEED, SIM_TICK_MS: String(TICK_MS), HISTORY_BACKFILL_HOURS: "1", ROLLUP_FLUSH_MS: "1000" });
      const a = await startClusterNode(env);
      nodes.push(a);
      const firstMinute = minuteOf(Date.now());
      const b = await startClusterNode(env);
      nodes.push(b);
      const { holder, other } = await agreedHolder(a, b);

      expect(await holder.stop("SIGTERM")).toBe(0);
      await eventually("the other node holding the lease", async () => (await holderSeenBy(other))?.endsWith(`:${other.pid}`), 15_000);
      const lastMinute = minuteOf(Date.now()) + MINUTE_MS;
      const rollups = await rollupsUpTo(database.url, firstMinute - 60 * MINUTE_MS, lastMinute);
      expect(rollupProblems(rollups, firstMinute - 60 * MINUTE_MS, lastMinute, [])).toEqual([]);
    },
  );

  it("refuses a standalone server beside cluster nodes, and a cluster node beside a standalone server, saying so", { timeout: 120_000 }, async () => {
    const clustered = clusterEnv(database.url, { HISTORY_BACKFILL_HOURS: "0" });
    // Without REDIS_URL (an empty value is unset), and not a node:cluster worker: standalone.
    const standalone = { ...clustered, REDIS_URL: "" };
    const node = await startClusterNode(clustered);
    nodes.push(node);
    await expect(startClusterNode(standalone)).rejects.toThrow(/cluster nodes are using this database \(m2m-pulse pid \d+ .*\(cluster node\)/);
    expect(await node.stop("SIGTERM")).toBe(0);

    const alone = await startClusterNode(standalone);
    nodes.push(alone);
    expect(await holderSeenBy(alone)).toMatch(new RegExp(`:${alone.pid}$`));
    await expect(startClusterNode(clustered)).rejects.toThrow(/a standalone M2M Pulse server is using this database/);
  });
});
