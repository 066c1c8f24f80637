import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import { withProvenance, type Acknowledgement, type StreamSubscribed, type SubscribeRequest, type Tick } from "@/lib/contracts/realtime";
import type { Database } from "@/lib/db/client";
import { seriesIndex } from "@/lib/domain/series";
import { StreamClient } from "@/lib/realtime/stream-client";
import type { RealtimeConfig } from "@/server/realtime";
import { ingestSamples } from "@/server/ingest/pipeline";
import type { FullTick } from "@/server/realtime/tick-source";
import { openSeededDatabase } from "../support/database";
import { startTcpProxy } from "../support/tcp-proxy";
import { connectSocket, eventually, startStreamServer, type TestSocket, type TestStreamServer } from "../support/stream-server";

const ENERGY = seriesIndex("china-mobile", "energy");

/** Through the ingest pipeline every way in ends in: stamped by the stream, stored, then accepted. */
async function ingest(operator: OperatorSlug, sector: SectorSlug, connections: number, atMs = Date.now()): Promise<void> {
  await ingestSamples({ samples: [{ operator, sector, connections, atMs }], duplicates: 0, refused: 0 }, "http");
}

async function subscribe(socket: TestSocket, request: SubscribeRequest): Promise<StreamSubscribed> {
  const answer = await new Promise<Acknowledgement<StreamSubscribed>>((resolve) => socket.emit("stream:subscribe", request, resolve));
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data;
}

/**
 * Tick revisions (issue 11): a sample accepted between two ticks is sent at once as the newest tick
 * again (same `s`), rather than waiting for the next tick; a restart's refill shows the same; the
 * per-minute rollups count each tick once.
 */
describe("tick revisions", () => {
  let database: Database;
  let closeDatabase: () => Promise<void>;
  let server: TestStreamServer | undefined;
  const sockets: TestSocket[] = [];
  const clients: StreamClient[] = [];

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

  const start = async (config: Partial<RealtimeConfig>) => {
    server = await startStreamServer(config);
    await server.realtime.source.ready;
    return server;
  };
  const socketOn = async (url: string) => {
    const socket = await connectSocket(url);
    sockets.push(socket);
    return socket;
  };

  it("sends a sample accepted mid-tick as a revision of the current tick, before the next one, to the rooms it changes", async () => {
    // At the default tick a second, so that "before the next tick" leaves no doubt.
    const { url } = await start({ SIM_TICK_MS: 1000 });
    const mobile = await socketOn(url);
    const unicom = await socketOn(url);
    const mobileTicks: Tick[] = [];
    const unicomTicks: Tick[] = [];
    mobile.on("stream:tick", (tick) => mobileTicks.push(tick));
    unicom.on("stream:tick", (tick) => unicomTicks.push(tick));
    await subscribe(mobile, { filter: { operators: ["china-mobile"], sectors: [] }, snapshotTicks: 1 });
    await subscribe(unicom, { filter: { operators: ["china-unicom"], sectors: [] }, snapshotTicks: 1 });

    // Just after a tick arrived: the next is about a second away.
    const before = mobileTicks.length;
    const current = await eventually("a live tick", () => mobileTicks[before]);
    await ingest("china-mobile", "energy", 31_337);
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
      await ingest("china-mobile", "energy", connections);
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
    const socket = await socketOn(second.url);
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
      await ingest("china-mobile", "energy", 8_642);
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
      await ingest(operator, sector, 1_000 + round);
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
