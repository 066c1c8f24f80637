import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "@/lib/contracts/alerts";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { StoredSample } from "@/lib/contracts/ingest";
import { provenanceAt, withProvenance, type Acknowledgement, type StreamSubscribed, type SubscribeRequest, type Tick } from "@/lib/contracts/realtime";
import type { Database } from "@/lib/db/client";
import { storeSamples } from "@/lib/db/samples";
import { findSamplesForRefill } from "@/lib/db/measured-refill";
import { seriesIndex } from "@/lib/domain/series";
import { StreamClient } from "@/lib/realtime/stream-client";
import { ingestSamples } from "@/server/ingest/pipeline";
import type { RealtimeConfig } from "@/server/realtime";
import type { FullTick } from "@/server/realtime/tick-source";
import { openSeededDatabase } from "../support/database";
import { startTcpProxy } from "../support/tcp-proxy";
import { connectSocket, eventually, startStreamServer, type TestSocket, type TestStreamServer } from "../support/stream-server";

const ENERGY = seriesIndex("china-mobile", "energy");
const RETAIL = seriesIndex("china-unicom", "retail");

const sample = (operator: OperatorSlug, sector: SectorSlug, connections: number, atMs = Date.now()): StoredSample => ({
  operator,
  sector,
  connections,
  atMs,
  receivedAtMs: Date.now(),
  source: "http",
});

/** What every ingest path does (server/ingest/pipeline.ts): stamp, store durably, then hand the stored samples to the live stream. */
async function ingest(...samples: StoredSample[]): Promise<void> {
  await ingestSamples({ samples, duplicates: 0, refused: 0 }, "http");
}

/** A screen watching every series through the product's stream client: ticks with their provenance in full. */
function watch(url: string): { ticks: Tick[]; client: StreamClient } {
  const ticks: Tick[] = [];
  const client = new StreamClient({
    url,
    filter: { operators: [], sectors: [] },
    snapshotTicks: 1,
    socketOptions: { transports: ["websocket"], forceNew: true },
    handlers: {
      onSnapshot: (subscription) => ticks.push(...subscription.ticks),
      onTicks: (fresh) => ticks.push(...fresh),
    },
  });
  return { ticks, client };
}

async function subscribe(socket: TestSocket, request: SubscribeRequest): Promise<StreamSubscribed> {
  const answer = await new Promise<Acknowledgement<StreamSubscribed>>((resolve) => socket.emit("stream:subscribe", request, resolve));
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data;
}

const provenanceOf = (tick: Tick | undefined, index: number) => (tick ? provenanceAt(tick.p, index) : undefined);

describe("measured samples in the live stream", () => {
  let database: Database;
  let closeDatabase: () => Promise<void>;
  let server: TestStreamServer | undefined;
  const clients: StreamClient[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ({ database, close: closeDatabase } = await openSeededDatabase());
  });
  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    sockets.splice(0).forEach((socket) => socket.close());
    await server?.stop();
    server = undefined;
    await database.prisma.measuredSample.deleteMany();
    await database.prisma.alert.deleteMany();
    await database.prisma.connectionRollup.deleteMany();
  });
  afterAll(async () => closeDatabase());

  const start = async (config: Partial<RealtimeConfig> = {}) => {
    server = await startStreamServer(config);
    await server.realtime.source.ready;
    return server;
  };
  const screen = (url: string) => {
    const watched = watch(url);
    clients.push(watched.client);
    return watched.ticks;
  };

  it("turns a series measured when a sample is accepted, then stale (value held), then simulated again", async () => {
    const { url } = await start({ MEASURED_STALE_SECONDS: 1, MEASURED_EXPIRE_SECONDS: 2 });
    const ticks = screen(url);
    await eventually("a first tick", () => ticks.length > 0);
    expect(provenanceOf(ticks.at(-1), ENERGY)).toBe("simulated");

    await ingest(sample("china-mobile", "energy", 12_345));
    const measured = await eventually("the series measured", () => ticks.find((tick) => provenanceOf(tick, ENERGY) === "measured"));
    expect(measured.v[ENERGY]).toBe(12_345);
    // The others stay simulated.
    expect(provenanceOf(measured, RETAIL)).toBe("simulated");
    expect(measured.p!.replace("m", "")).toMatch(/^s{20}$/);

    const stale = await eventually("the series stale", () => ticks.find((tick) => provenanceOf(tick, ENERGY) === "stale"), 5_000);
    expect(stale.v[ENERGY]).toBe(12_345); // held, never refilled by the simulator
    expect(stale.s).toBeGreaterThan(measured.s);

    const back = await eventually("the series simulated again", () => ticks.find((tick) => tick.s > stale.s && provenanceOf(tick, ENERGY) === "simulated"), 5_000);
    expect(back.v[ENERGY]).not.toBe(12_345);
    expect(back.v[ENERGY]).toBeGreaterThan(0);
  });

  it("sends p on the first tick of an answer and then only when it changes", async () => {
    const { url } = await start({ MEASURED_STALE_SECONDS: 1, MEASURED_EXPIRE_SECONDS: 2 });
    const socket = await connectSocket(url);
    sockets.push(socket);
    const live: Tick[] = [];
    socket.on("stream:tick", (tick) => live.push(tick));
    const answer = await new Promise<Acknowledgement<StreamSubscribed>>((resolve) =>
      socket.emit("stream:subscribe", { filter: { operators: ["china-mobile"], sectors: [] }, snapshotTicks: 5 } as SubscribeRequest, resolve),
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.ticks[0]!.p).toBe("sssssss");
    expect(answer.data.ticks.slice(1).every((tick) => tick.p === undefined)).toBe(true);
    await eventually("live ticks", () => live.length >= 3);
    expect(live.every((tick) => tick.p === undefined)).toBe(true);

    await ingest(sample("china-mobile", "energy", 7));
    const changed = await eventually("a tick whose p changed", () => live.find((tick) => tick.p !== undefined));
    expect(changed.p).toBe("msssssss".slice(0, 7));
    const after = live.indexOf(changed);
    await eventually("the next tick", () => live.length > after + 1);
    expect(live[after + 1]!.p).toBeUndefined();
    // A sample for a series this socket does not watch changes nothing it sees.
    const before = live.length;
    await ingest(sample("china-unicom", "retail", 9));
    await eventually("a few more ticks", () => live.length > before + 5);
    expect(live.slice(before).filter((tick) => tick.p !== undefined).every((tick) => tick.p!.startsWith("h") || tick.p!.startsWith("s"))).toBe(true);
  });

  it("shows no data for unmeasured series when the simulator is off, and writes no history for them", async () => {
    await database.prisma.connectionRollup.deleteMany();
    const { url } = await start({ SIMULATOR: "off", MEASURED_STALE_SECONDS: 1, MEASURED_EXPIRE_SECONDS: 2, ROLLUP_FLUSH_MS: 100 });
    const ticks = screen(url);
    await eventually("a first tick", () => ticks.length > 0);
    expect(ticks.at(-1)!.v.every((value) => value === null)).toBe(true);
    expect(ticks.at(-1)!.p).toBe("n".repeat(21));

    await ingest(sample("china-mobile", "energy", 500));
    const measured = await eventually("the series measured", () => ticks.find((tick) => provenanceOf(tick, ENERGY) === "measured"));
    expect(measured.v[ENERGY]).toBe(500);
    expect(measured.v[RETAIL]).toBeNull();
    await eventually("the series without data again", () => ticks.find((tick) => tick.s > measured.s && provenanceOf(tick, ENERGY) === "none"), 5_000);
    await server!.stop();
    server = undefined;
    // Only the measured minute is in history, written by storeSamples; the live stream wrote nothing.
    const rollups = await database.prisma.connectionRollup.findMany();
    expect(rollups.length).toBeGreaterThan(0);
    expect(rollups.every((row) => row.provenance === "measured" && row.operatorSlug === "china-mobile" && row.sectorSlug === "energy")).toBe(true);
  });

  it("refills the resume buffer from stored samples after a restart: a screen resuming with since gets the same ticks", async () => {
    const first = await start();
    const ticks = screen(first.url);
    await eventually("a first tick", () => ticks.length > 0);
    await ingest(sample("china-mobile", "energy", 4_242), sample("china-unicom", "retail", 99));
    const measured = await eventually("both series measured", () =>
      ticks.find((tick) => provenanceOf(tick, ENERGY) === "measured" && provenanceOf(tick, RETAIL) === "measured"),
    );
    await eventually("twenty ticks more", () => ticks.at(-1)!.s >= measured.s + 20);
    await ingest(sample("china-mobile", "energy", 4_343));
    await eventually("the newer sample", () => ticks.find((tick) => tick.v[ENERGY] === 4_343));
    await eventually("ten ticks more", () => ticks.some((tick) => tick.v[ENERGY] === 4_343) && ticks.at(-1)!.s >= ticks.find((tick) => tick.v[ENERGY] === 4_343)!.s + 10);
    clients.splice(0).forEach((client) => client.close());
    const seen = new Map(ticks.map((tick) => [tick.s, tick]));
    await first.stop();

    const second = await start();
    const socket = await connectSocket(second.url);
    sockets.push(socket);
    const answer = await new Promise<Acknowledgement<StreamSubscribed>>((resolve) =>
      socket.emit("stream:subscribe", { filter: { operators: [], sectors: [] }, since: measured.s - 1 } as SubscribeRequest, resolve),
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.mode).toBe("resume");
    let carried: string | undefined;
    let compared = 0;
    for (const tick of answer.data.ticks) {
      carried = tick.p ?? carried;
      const before = seen.get(tick.s);
      if (!before) continue;
      expect({ s: tick.s, v: tick.v, p: carried }).toEqual({ s: before.s, v: before.v, p: before.p });
      compared++;
    }
    expect(compared).toBe(seen.size - [...seen.keys()].filter((seq) => seq < measured.s).length);
    expect(compared).toBeGreaterThan(30);
  });

  it("reads for a refill only what can still show: per series the latest sample from before the window, and the window's own", async () => {
    const fromMs = Date.UTC(2026, 10, 26, 12, 0, 0);
    const at = (operator: OperatorSlug, sector: SectorSlug, connections: number, atMs: number, receivedAtMs: number): StoredSample => ({
      operator,
      sector,
      connections,
      atMs,
      receivedAtMs,
      source: "mqtt",
    });
    await storeSamples([
      // Before the window: a minute of samples for one series, only the last of which can show.
      ...Array.from({ length: 60 }, (_, second) => at("china-mobile", "energy", second, fromMs - 60_000 + second * 1000, fromMs - 60_000 + second * 1000)),
      // Dated after the window's start (within the clock skew), received before it: kept.
      at("china-mobile", "energy", 1_000, fromMs + 5_000, fromMs - 1_000),
      // Received before the look-back: can only read as expired.
      at("china-unicom", "retail", 7, fromMs - 7_200_000, fromMs - 7_200_000),
      // In the window: all of them.
      ...Array.from({ length: 10 }, (_, second) => at("china-telecom", "energy", 100 + second, fromMs + second * 1000, fromMs + second * 1000 + 50)),
    ]);
    const { samples, truncated } = await findSamplesForRefill(fromMs, 3_600_000);
    expect(truncated).toBe(false);
    expect(samples.map((sample) => `${sample.sector}:${sample.connections}`)).toEqual([
      "energy:59",
      "energy:1000",
      ...Array.from({ length: 10 }, (_, second) => `energy:${100 + second}`),
    ]);
    const capped = await findSamplesForRefill(fromMs, 3_600_000, 4);
    expect(capped.truncated).toBe(true);
    // The newest of the window are kept.
    expect(capped.samples.slice(-4).map((sample) => sample.connections)).toEqual([106, 107, 108, 109]);
  });

  it("raises alerts on measured data, says so, and ends them when the measurements expire", async () => {
    const { io } = await start({ MEASURED_STALE_SECONDS: 1, MEASURED_EXPIRE_SECONDS: 2 });
    const socket = await connectSocket(`http://127.0.0.1:${(io.httpServer.address() as { port: number }).port}`);
    sockets.push(socket);
    const raised: Alert[] = [];
    const resolved: Alert[] = [];
    socket.on("alert:raised", (alert) => raised.push(alert));
    socket.on("alert:resolved", (alert) => resolved.push(alert));
    await new Promise((resolve) => socket.emit("stream:subscribe", { filter: { operators: ["china-mobile"], sectors: [] } } as SubscribeRequest, resolve));

    // China Mobile's energy series measured at almost nothing: far below its expected band.
    await ingest(sample("china-mobile", "energy", 1));
    const alert = await eventually("an alert on the measured drop", () => raised.find((entry) => entry.provenance === "measured"));
    expect(alert).toMatchObject({ operator: "china-mobile", kind: "drop", provenance: "measured" });
    const stored = await database.prisma.alert.findUnique({ where: { id: alert.id } });
    expect(stored?.provenance).toBe("measured");
    // Stale, then simulated again: the alert raised on measurements ends with them.
    const ended = await eventually("the measured alert resolved", () => resolved.find((entry) => entry.id === alert.id), 8_000);
    expect(ended.provenance).toBe("measured");
  });

  /**
   * Tick revisions: a sample accepted between two ticks is sent at once as the newest tick again
   * (same `s`), rather than waiting for the next tick; a restart's refill shows the same; the
   * per-minute rollups count each tick once.
   */
  describe("tick revisions", () => {
    it("sends a sample accepted mid-tick as a revision of the current tick, before the next one, to the rooms it changes", async () => {
      // At the default tick a second, so that "before the next tick" leaves no doubt.
      const { url } = await start({ SIM_TICK_MS: 1000 });
      const [mobile, unicom] = await Promise.all([connectSocket(url), connectSocket(url)]);
      sockets.push(mobile, unicom);
      const mobileTicks: Tick[] = [];
      const unicomTicks: Tick[] = [];
      mobile.on("stream:tick", (tick) => mobileTicks.push(tick));
      unicom.on("stream:tick", (tick) => unicomTicks.push(tick));
      await subscribe(mobile, { filter: { operators: ["china-mobile"], sectors: [] }, snapshotTicks: 1 });
      await subscribe(unicom, { filter: { operators: ["china-unicom"], sectors: [] }, snapshotTicks: 1 });

      // Just after a tick arrived: the next is about a second away.
      const before = mobileTicks.length;
      const current = await eventually("a live tick", () => mobileTicks[before]);
      await ingest(sample("china-mobile", "energy", 31_337));
      const revision = await eventually("the sample on screen", () => mobileTicks.find((tick) => tick.v[0] === 31_337));
      expect(revision.s).toBe(current.s);
      expect(revision.p).toBe("mssssss");
      // Nothing newer came first, and the simulated series are as first sent.
      const index = mobileTicks.indexOf(revision);
      expect(mobileTicks.slice(0, index).every((tick) => tick.s <= current.s)).toBe(true);
      expect(revision.v.slice(1)).toEqual(current.v.slice(1));

      // The next tick follows it without repeating p (nothing changed since the revision).
      const next = await eventually("the next tick", () => mobileTicks.find((tick) => tick.s === current.s + 1));
      expect(next.v[0]).toBe(31_337);
      expect(next.p).toBeUndefined();
      // China Unicom's room saw no revision: every seq once.
      await eventually("unicom's next tick", () => unicomTicks.find((tick) => tick.s === current.s + 1));
      expect(new Set(unicomTicks.map((tick) => tick.s)).size).toBe(unicomTicks.length);
    });

    it("a screen resuming with since after a restart gets the revised ticks it had", async () => {
      const first = await start({ SIM_TICK_MS: 200 });
      const ticks: Tick[] = [];
      const client = new StreamClient({
        url: first.url,
        filter: { operators: [], sectors: [] },
        snapshotTicks: 1,
        socketOptions: { transports: ["websocket"], forceNew: true },
        handlers: { onSnapshot: (subscription) => ticks.push(...subscription.ticks), onTicks: (fresh) => ticks.push(...fresh) },
      });
      clients.push(client);
      await eventually("a first tick", () => ticks.length > 0);

      const revisedSeqs: number[] = [];
      for (const connections of [101, 202, 303]) {
        const held = ticks.length;
        await eventually("a live tick", () => ticks.length > held);
        await ingest(sample("china-mobile", "energy", connections));
        const shown = await eventually("the sample on screen", () => ticks.find((tick) => tick.v[ENERGY] === connections));
        // Handed on as a revision: the same seq came before, without the sample.
        const earlier = ticks.slice(0, ticks.indexOf(shown)).filter((tick) => tick.s === shown.s);
        expect(earlier.length).toBeGreaterThan(0);
        expect(earlier.every((tick) => tick.v[ENERGY] !== connections)).toBe(true);
        revisedSeqs.push(shown.s);
      }
      await eventually("five ticks more", () => ticks.at(-1)!.s >= revisedSeqs.at(-1)! + 5);
      clients.splice(0).forEach((open) => open.close());
      // The latest version of each tick is what the screen shows.
      const seen = new Map(ticks.map((tick) => [tick.s, tick]));
      await first.stop();

      const second = await start({ SIM_TICK_MS: 200 });
      const socket = await connectSocket(second.url);
      sockets.push(socket);
      const since = revisedSeqs[0]! - 2;
      const answer = await subscribe(socket, { filter: { operators: [], sectors: [] }, since });
      expect(answer.mode).toBe("resume");
      const resumed = withProvenance(answer.ticks).filter((tick) => seen.has(tick.s));
      expect(resumed.length).toBe([...seen.keys()].filter((seq) => seq > since).length);
      expect(resumed.map(({ s, v, p }) => ({ s, v, p }))).toEqual(resumed.map((tick) => seen.get(tick.s)!).map(({ s, v, p }) => ({ s, v, p })));
      for (const seq of revisedSeqs) expect(resumed.find((tick) => tick.s === seq)!.p![ENERGY]).toBe("m");
    });

    it("brings a StreamClient the revision it missed while disconnected, when it resumes", async () => {
      const running = await start({ SIM_TICK_MS: 1000 });
      const proxy = await startTcpProxy({ host: "127.0.0.1", port: running.port });
      try {
        const ticks: Tick[] = [];
        const client = new StreamClient({
          url: `http://127.0.0.1:${proxy.port}`,
          filter: { operators: ["china-mobile"], sectors: [] },
          snapshotTicks: 1,
          // The server answers for its own host and port only (the Host allow-list).
          socketOptions: { transports: ["websocket"], forceNew: true, extraHeaders: { host: `127.0.0.1:${running.port}` } },
          handlers: { onSnapshot: (subscription) => ticks.push(...subscription.ticks), onTicks: (fresh) => ticks.push(...fresh) },
        });
        clients.push(client);
        await eventually("live", () => client.status === "live" && ticks.length > 0);

        // Cut off, a sample revises the newest tick meanwhile, then the network comes back.
        await proxy.cut();
        await eventually("the client notices", () => client.status === "reconnecting");
        const revised = new Promise<number>((resolve) => running.realtime.source.onRevision((tick) => resolve(tick.seq)));
        await ingest(sample("china-mobile", "energy", 8_642));
        const seq = await revised;
        await proxy.restore();

        // The resume repeats that tick as revised, and the client puts it in place of the one it held.
        const shown = await eventually("the revised tick", () => ticks.find((tick) => tick.s === seq && tick.v[0] === 8_642));
        expect(shown.p).toBe("mssssss");
        await eventually("a tick after it", () => ticks.find((tick) => tick.s === seq + 1));
        expect(ticks.filter((tick) => tick.s === seq + 1)).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });

    it("counts each tick once in the per-minute rollups, however often it was revised", async () => {
      const running = await start({ SIM_TICK_MS: 100, ROLLUP_FLUSH_MS: 100 });
      // Distinct ticks per minute as the stream produced them (registered before the first tick goes out).
      const ticksPerMinute = new Map<number, Set<number>>();
      const noteTick = (tick: FullTick) => {
        const minute = Math.floor(tick.instantMs / 60_000) * 60_000;
        ticksPerMinute.set(minute, (ticksPerMinute.get(minute) ?? new Set()).add(tick.seq));
      };
      running.realtime.source.onTick(noteTick);
      running.realtime.source.onRevision(noteTick);
      let revisions = 0;
      running.realtime.source.onRevision(() => revisions++);
      let produced = 0;
      running.realtime.source.onTick(() => produced++);

      // Several series measured, each sample revising the tick it arrived in.
      const series: [OperatorSlug, SectorSlug][] = [["china-mobile", "energy"], ["china-unicom", "retail"], ["china-telecom", "transport"]];
      for (let round = 0; round < 12; round++) {
        const seen = produced;
        await eventually("a tick", () => produced > seen);
        const [operator, sector] = series[round % series.length]!;
        await ingest(sample(operator, sector, 1_000 + round));
      }
      await eventually("the revisions", () => revisions >= 10);
      await running.stop();
      server = undefined;

      // A series nobody measured: one simulated sample per tick of each minute, no more.
      const rows = await database.prisma.connectionRollup.findMany({ where: { operatorSlug: "china-mobile", sectorSlug: "retail" }, orderBy: { minute: "asc" } });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((row) => [row.minute.getTime(), row.samples])).toEqual([...ticksPerMinute.entries()].map(([minute, seqs]) => [minute, seqs.size]).sort((a, b) => a[0]! - b[0]!));
      // The measured series' minutes are written from their samples, not from ticks.
      const measured = await database.prisma.connectionRollup.findMany({ where: { operatorSlug: "china-mobile", sectorSlug: "energy", provenance: "measured" } });
      expect(measured.reduce((total, row) => total + row.samples, 0)).toBe(4);
    });
  });
});
