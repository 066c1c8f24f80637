import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAlerts } from "@/app/api/alerts/route";
import { GET as getHistory } from "@/app/api/history/route";
import { POST as triggerIncident } from "@/app/api/simulator/incidents/route";
import { alertsResponseSchema, type Alert } from "@/lib/contracts/alerts";
import { apiErrorBodySchema } from "@/lib/contracts/api";
import { historyResponseSchema } from "@/lib/contracts/history";
import type { Tick } from "@/lib/contracts/realtime";
import type { Database } from "@/lib/db/client";
import { MINUTE_MS } from "@/lib/domain/rollups";
import { captureLogs } from "@/lib/logger";
import { StreamClient } from "@/lib/realtime/stream-client";
import { signedInAccount } from "../support/accounts";
import { openSeededDatabase } from "../support/database";
import { connectSocket, eventually, startStreamServer, type TestStreamServer } from "../support/stream-server";

const get = async (handler: typeof getHistory, url: string) => {
  const response = await handler(new Request(`http://localhost${url}`), undefined);
  return { status: response.status, body: (await response.json()) as unknown };
};

// Triggering an incident is a change: it needs a signed-in operator.
let operatorSession = "";

describe("history, alerts and restarts", () => {
  let database: Database;
  let closeDatabase: () => Promise<void>;

  beforeAll(async () => {
    ({ database, close: closeDatabase } = await openSeededDatabase());
    ({ cookie: operatorSession } = await signedInAccount("operator"));
  });
  afterAll(async () => closeDatabase());

  it("back-fills recent history on first start and serves it from /api/history at ≤ 1,000 points per series", async () => {
    const server = await startStreamServer({ HISTORY_BACKFILL_HOURS: 48 });
    try {
      await server.realtime.backfilled;
      const rows = await database.prisma.connectionRollup.count({ where: { backfilled: true } });
      expect(rows).toBe(48 * 60 * 21);

      const { status, body } = await get(getHistory, "/api/history?operator=china-mobile&sector=energy,transport");
      expect(status).toBe(200);
      const history = historyResponseSchema.parse(body);
      expect(history.provenance).toBe("simulated");
      expect(history.resolutionSeconds).toBe(120); // 24 hours in 720 buckets
      expect(history.series.map((series) => `${series.operator}:${series.sector}`)).toEqual(["china-mobile:energy", "china-mobile:transport"]);
      for (const series of history.series) {
        expect(series.mean.length).toBe(history.buckets.length);
        expect(series.mean.length).toBeLessThanOrEqual(1000);
        // Every bucket but the one in progress has data: no empty history panel, no hole.
        expect(series.mean.slice(0, -1).every((value) => value !== null && value > 0)).toBe(true);
        series.mean.forEach((mean, index) => {
          if (mean !== null) expect(series.min[index]!).toBeLessThanOrEqual(mean);
        });
      }
    } finally {
      await server.stop();
    }
  });

  it("writes live ticks as per-minute rollups in batches, and fills the hole left while it was down", async () => {
    // Sixty simulated seconds per real second: a minute of history every second.
    const first = await startStreamServer({ SIM_SPEED: 60, SIM_TICK_MS: 100, HISTORY_BACKFILL_HOURS: 0 });
    const firstMinute = Math.floor(first.realtime.source.currentInstant() / MINUTE_MS) * MINUTE_MS;
    // Finished minutes reach the database while the server runs, not only when it stops.
    const live = await eventually("two minutes of live rollups", async () => {
      const rows = await database.prisma.connectionRollup.findMany({
        where: { backfilled: false, minute: { gte: new Date(firstMinute) } },
        orderBy: { minute: "asc" },
      });
      return rows.length >= 2 * 21 && rows;
    });
    for (const rollup of live) {
      expect(rollup.min).toBeLessThanOrEqual(rollup.max);
      expect(rollup.mean).toBeGreaterThanOrEqual(rollup.min);
      expect(rollup.mean).toBeLessThanOrEqual(rollup.max);
      expect(rollup.provenance).toBe("simulated");
    }
    await first.stop();
    const lastWritten = Math.max(...(await database.prisma.connectionRollup.findMany({ select: { minute: true } })).map((row) => row.minute.getTime()));

    // A new process with the same speed starts its clock from now: time has moved on, leaving a hole.
    // (The first ran ahead of the clock, so the window only has to reach back past the hole.)
    const second = await startStreamServer({ SIM_SPEED: 1, SIM_TICK_MS: 100, HISTORY_BACKFILL_HOURS: 2 });
    try {
      await second.realtime.backfilled;
      const liveMinute = Math.floor(second.realtime.source.currentInstant() / MINUTE_MS) * MINUTE_MS;
      const minutes = await database.prisma.connectionRollup.findMany({
        where: { operatorSlug: "china-unicom", sectorSlug: "retail", minute: { gt: new Date(lastWritten), lt: new Date(liveMinute) } },
        select: { minute: true },
      });
      // Every minute between the last one written and the live one is there (or none were missing).
      expect(minutes.length).toBe(Math.max(0, (liveMinute - lastWritten) / MINUTE_MS - 1));
    } finally {
      await second.stop();
    }
  });

  it("answers 400 for a bad history range, saying why", async () => {
    const cases: [string, RegExp][] = [
      ["?from=yesterday", /^expected an ISO 8601 date-time or milliseconds since 1970, got 'yesterday'$/],
      ["?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", /must be before to/],
      ["?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", /the range is 59 days; at most 31 days/],
      ["?operator=china-mobile&sector=steel", /unknown sector 'steel'/],
      ["?step=60", /unknown parameter 'step'/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await get(getHistory, `/api/history${query}`);
      expect(status, query).toBe(400);
      expect(apiErrorBodySchema.parse(body).error.message, query).toMatch(message);
    }
  });

  it("raises an alert for an outage triggered on demand, logs it, streams it to screens that show it, and lists it", async () => {
    const logs = captureLogs("info");
    const server = await startStreamServer({ SIM_TICK_MS: 50 });
    const alerts: Alert[] = [];
    const otherAlerts: Alert[] = [];
    const watching = new StreamClient({
      url: server.url,
      filter: { operators: ["china-telecom"], sectors: ["healthcare"] },
      socketOptions: { transports: ["websocket"], forceNew: true },
      handlers: { onAlert: (_, alert) => alerts.push(alert) },
    });
    const elsewhere = new StreamClient({
      url: server.url,
      filter: { operators: ["china-mobile"], sectors: [] },
      socketOptions: { transports: ["websocket"], forceNew: true },
      handlers: { onAlert: (_, alert) => otherAlerts.push(alert) },
    });
    try {
      await eventually("both subscribed", () => watching.status === "live" && elsewhere.status === "live");
      const response = await triggerIncident(
        new Request("http://localhost/api/simulator/incidents", {
          method: "POST",
          headers: { "content-type": "application/json", cookie: operatorSession },
          body: JSON.stringify({ kind: "outage", operator: "china-telecom", magnitude: 0.6, durationSeconds: 60 }),
        }),
        undefined,
      );
      expect(response.status).toBe(201);

      // The outage is one alert for the operator as a whole (sector null), whatever else the series do.
      const alert = await eventually("an outage alert", () =>
        alerts.find((candidate) => candidate.kind === "drop" && candidate.operator === "china-telecom" && candidate.sector === null),
      );
      expect(alert.provenance).toBe("simulated");
      expect(alert.observed).toBeLessThan(alert.expectedLow);
      expect(alert.message).toMatch(/^China Telecom \(all sectors\): .* below the expected/);
      expect(otherAlerts.filter((other) => other.operator === "china-telecom")).toEqual([]);
      // One log line for it, with where, what and the value against the expected band.
      const logged = logs.lines.filter((line) => line.includes(` [alerts] alert raised id=${alert.id} `));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.trimEnd()).toMatch(
        new RegExp(
          `INFO  \\[alerts\\] alert raised id=${alert.id} operator=china-telecom sector=all kind=drop severity=${alert.severity} ` +
            `observed=${Math.round(alert.observed)} expected=${Math.round(alert.expected)} band=${Math.round(alert.expectedLow)}\\.\\.${Math.round(alert.expectedHigh)} deviation=-\\d+\\.\\d% provenance=simulated$`,
        ),
      );
      expect(logs.lines.filter((line) => / (ERROR|WARN) /.test(line))).toEqual([]);

      const listed = alertsResponseSchema.parse((await get(getAlerts, "/api/alerts?operator=china-telecom&limit=5")).body);
      expect(listed.alerts.map((entry) => entry.id)).toContain(alert.id);
      const none = alertsResponseSchema.parse((await get(getAlerts, "/api/alerts?operator=china-unicom")).body);
      expect(none.alerts.filter((entry) => entry.id === alert.id)).toEqual([]);
      expect((await get(getAlerts, "/api/alerts?limit=0")).status).toBe(400);
    } finally {
      watching.close();
      elsewhere.close();
      await server.stop();
      logs.stop();
    }
  });

  it("refuses an incident that makes no sense, naming the problem", async () => {
    const post = (body: unknown) =>
      triggerIncident(
        new Request("http://localhost/api/simulator/incidents", { method: "POST", headers: { "content-type": "application/json", cookie: operatorSession }, body: JSON.stringify(body) }),
        undefined,
      );
    const surgeWithoutSector = await post({ kind: "surge", operator: "china-mobile" });
    expect(surgeWithoutSector.status).toBe(400);
    expect(apiErrorBodySchema.parse(await surgeWithoutSector.json()).error.message).toBe(
      "a surge applies to sector only, not operator; a surge needs a sector",
    );
    expect((await post({ kind: "meltdown" })).status).toBe(400);
  });

  it("lets a client resume across a server restart without a hole", async () => {
    const first = await startStreamServer({ SIM_TICK_MS: 50 });
    const port = first.port;
    const seqs: number[] = [];
    let snapshots = 0;
    const client = new StreamClient({
      url: first.url,
      filter: { operators: [], sectors: ["automotive"] },
      snapshotTicks: 3,
      socketOptions: { transports: ["websocket"], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 300 },
      handlers: {
        onSnapshot: (subscription) => {
          snapshots++;
          seqs.push(...subscription.ticks.map((tick: Tick) => tick.s));
        },
        onTicks: (ticks) => seqs.push(...ticks.map((tick) => tick.s)),
      },
    });
    let second: TestStreamServer | undefined;
    try {
      await eventually("ticks from the first server", () => seqs.length > 10);
      await first.stop();
      const stoppedAt = seqs.at(-1)!;
      await new Promise((resolve) => setTimeout(resolve, 700)); // down for ~14 ticks
      second = await startStreamServer({ SIM_TICK_MS: 50 }, port);
      await eventually("ticks from the second server", () => seqs.at(-1)! > stoppedAt + 20);
      expect(snapshots).toBe(1);
      for (let index = 1; index < seqs.length; index++) expect(seqs[index]).toBe(seqs[index - 1]! + 1);
    } finally {
      client.close();
      await second?.stop();
    }
  });

  it("keeps serving other sockets when one connects and leaves at once", async () => {
    const server = await startStreamServer();
    try {
      const socket = await connectSocket(server.url);
      socket.close();
      const other = await connectSocket(server.url);
      const answer = await new Promise<{ ok: boolean }>((resolve) => other.emit("stream:subscribe", { filter: { operators: [], sectors: [] } }, resolve));
      expect(answer.ok).toBe(true);
      other.close();
    } finally {
      await server.stop();
    }
  });
});
