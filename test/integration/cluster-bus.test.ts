import { createServer } from "node:http";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CLUSTER_BUS_EVENT } from "@/lib/contracts/cluster";
import type { Alert } from "@/lib/contracts/alerts";
import type { StreamSubscribed, Tick } from "@/lib/contracts/realtime";
import { createDisplayToken } from "@/lib/db/display-tokens";
import { createIngestKey } from "@/lib/db/ingest-keys";
import { ensureDefaultPlaylist } from "@/lib/db/playlists";
import { SERIES, seriesIndex } from "@/lib/domain/series";
import { manualIncident } from "@/lib/domain/simulator/incidents";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import { signedInAccount, type TestAccount } from "../support/accounts";
import { dropClusterKeys, startClusterNode, TEST_REDIS, uniqueClusterName, waitForPeers, type ClusterNode } from "../support/bus-cluster";
import { openSeededDatabase } from "../support/database";
import { connectClusterTransport } from "@/server/cluster/transport";
import { connectSocket, eventually, type TestSocket } from "../support/stream-server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

/**
 * Two real server processes (test/support/bus-node.ts: the product's realtime server, cluster
 * transport and route handlers) on one PostgreSQL database and the machine's Redis, under a
 * cluster name of this run's own. Redis is reached through a relay this test can cut: the
 * machine's Redis itself is never touched.
 */

const SEED = "cluster-bus";
const ALL = { filter: { operators: [], sectors: [] } };

let database: Awaited<ReturnType<typeof openSeededDatabase>>;
let proxy: TcpProxy;
let clusterName: string;
let a: ClusterNode;
let b: ClusterNode;
let c: ClusterNode | undefined;
let operator: TestAccount;
let nodeEnv: Record<string, string>;
/** The incident the second test triggers, for the node started later. */
let telecomOutage: ReturnType<typeof manualIncident> | undefined;
const sockets: TestSocket[] = [];

function open(node: ClusterNode, cookie?: string): Promise<TestSocket> {
  return connectSocket(node.url, cookie ? { extraHeaders: { cookie } } : {}).then((socket) => {
    sockets.push(socket);
    return socket;
  });
}

/** Subscribes to every series and collects every tick that follows. */
async function watchAll(socket: TestSocket): Promise<Tick[]> {
  const ticks: Tick[] = [];
  socket.on("stream:tick", (tick) => ticks.push(tick));
  const answer = (await socket.emitWithAck("stream:subscribe", ALL)) as { ok: boolean; data?: StreamSubscribed };
  expect(answer.ok).toBe(true);
  return ticks;
}

const send = (node: ClusterNode, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${node.url}${path}`, {
    method,
    headers: { cookie: operator.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  database = await openSeededDatabase();
  await ensureDefaultPlaylist();
  operator = await signedInAccount("operator");
  proxy = await startTcpProxy(TEST_REDIS);
  clusterName = uniqueClusterName();
  const env = (nodeEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    PULSE_CLUSTER: clusterName,
    SIM_SEED: SEED,
    SIM_TICK_MS: "200",
    HISTORY_BACKFILL_HOURS: "0",
  });
  [a, b] = await Promise.all([startClusterNode(env), startClusterNode(env)]);
  await waitForPeers([a, b]);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  await proxy?.close();
  if (clusterName) await dropClusterKeys(clusterName);
  await database?.close();
}, 60_000);

describe("a cluster of two nodes on Redis", () => {
  it("reports both nodes in health, each with the other as its peer and Redis up", async () => {
    const [fromA, fromB] = await Promise.all([a.health(), b.health()]);
    expect(fromA.status).toBe(200);
    expect(fromA.body.status).toBe("ok");
    expect(fromA.body.cluster).toMatchObject({ mode: "cluster", transport: "redis", redis: { status: "up" } });
    expect(fromA.body.cluster.peers.map((peer) => peer.nodeId)).toContain(fromB.body.cluster.nodeId);
    expect(fromB.body.cluster.peers.map((peer) => peer.nodeId)).toContain(fromA.body.cluster.nodeId);
    expect(fromA.body.cluster.nodeId).not.toBe(fromB.body.cluster.nodeId);
    // One of the two runs the singletons, and both say which.
    await vi.waitFor(
      async () => {
        const [again, other] = await Promise.all([a.health(), b.health()]);
        expect([fromA.body.cluster.nodeId, fromB.body.cluster.nodeId]).toContain(again.body.cluster.leaseHolder);
        expect(other.body.cluster.leaseHolder).toBe(again.body.cluster.leaseHolder);
      },
      { timeout: 20_000, interval: 250 },
    );
  });

  it("shows an incident triggered on node A in node B's ticks, with the values A shows", async () => {
    const onA = await watchAll(await open(a));
    const onB = await watchAll(await open(b));
    const response = await send(a, "POST", "/api/simulator/incidents", { kind: "outage", operator: "china-telecom", magnitude: 0.9, durationSeconds: 60 });
    expect(response.status).toBe(201);
    const { incident: answered } = (await response.json()) as { incident: { startsAt: string; magnitude: number } };
    const startMs = Date.parse(answered.startsAt);
    // The simulator is a pure function of seed and time: what each tick must carry with and without the incident.
    const model = new ConnectionModel(SEED);
    const incident = manualIncident("outage", { operator: "china-telecom", sector: null }, startMs, { magnitude: 0.9, durationMs: 60_000 });
    const telecom = seriesIndex("china-telecom", "energy");
    telecomOutage = incident;

    const shown = await eventually("a tick on B well into the incident", () => onB.find((tick) => tick.t > startMs + 2_000));
    expect(shown.v).toEqual(model.valuesAt(shown.t, [incident]));
    expect(shown.v[telecom]).toBeLessThan(model.valuesAt(shown.t)[telecom]! * 0.9);
    const sameOnA = await eventually("the same tick on A", () => onA.find((tick) => tick.s === shown.s));
    expect(sameOnA.v).toEqual(shown.v);
  });

  it("closes the socket of a screen on node B when its display token is revoked through node A", async () => {
    const created = await createDisplayToken("overview", "lobby screen");
    const screen = await open(b, `pulse_display=${created!.secret}`);
    const revoked = new Promise<void>((resolve) => screen.once("display:revoked", () => resolve()));
    const closed = new Promise<string>((resolve) => screen.once("disconnect", (reason) => resolve(reason)));
    const response = await send(a, "DELETE", `/api/display-tokens/${created!.token.id}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { disconnected: number }).disconnected).toBe(1);
    await revoked;
    expect(await closed).toBe("io server disconnect");
  });

  it("reaches a screen on node A with a remote reload sent through node B", async () => {
    const screen = await open(a, operator.cookie);
    const heartbeat = { displayId: "cluster-screen-01", playlist: "overview", viewIndex: 0, viewTitle: "All", buildId: "cluster-test", jsHeapBytes: null, fps: null };
    expect(await screen.emitWithAck("display:heartbeat", heartbeat)).toEqual({ ok: true, data: { recorded: true } });
    const reloaded = new Promise<void>((resolve) => screen.once("display:reload", () => resolve()));
    const response = await send(b, "POST", "/api/displays/cluster-screen-01/reload");
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ reloading: "cluster-screen-01", sockets: 1 });
    await reloaded;
    // A screen connected nowhere is still "not connected", cluster-wide.
    expect((await send(b, "POST", "/api/displays/cluster-screen-99/reload")).status).toBe(404);
  });

  it("delivers an alert published on one node to the clients of both nodes exactly once", async () => {
    const received = new Map<TestSocket, number[]>();
    const clients = [await open(a), await open(a), await open(b)];
    for (const client of clients) {
      const ids: number[] = [];
      received.set(client, ids);
      client.on("alert:raised", (alert) => ids.push(alert.id));
      await watchAll(client);
    }
    const alert = (id: number): Alert => ({
      id,
      raisedAt: new Date().toISOString(),
      operator: "china-unicom",
      sector: null,
      kind: "drop",
      severity: "critical",
      observed: 1,
      expected: 2,
      expectedLow: 1.5,
      expectedHigh: 2.5,
      message: "cluster test",
      provenance: "simulated",
      resolvedAt: null,
    });
    const first = 2_000_000_001;
    const marker = 2_000_000_002;
    const publish = async (id: number) => {
      const response = await fetch(`${a.url}/test/alert`, { method: "POST", body: JSON.stringify({ change: "raised", alert: alert(id) }) });
      expect(response.status).toBe(200);
    };
    await publish(first);
    // A second alert from the same node on the same channel: once every client has it, any repeat of the first would have come before.
    await publish(marker);
    await eventually("the marker alert on every client", () => [...received.values()].every((ids) => ids.includes(marker)));
    for (const ids of received.values()) expect(ids.filter((id) => id === first)).toEqual([first]);
  });

  it("shows a measured sample ingested through node A on node B from the same tick (or, when B had already moved on, the next: docs/SCALING.md), with A's values for that tick", async () => {
    const { secret } = await createIngestKey({ label: "cluster test", operators: [], createdBy: null });
    const onA = await watchAll(await open(a));
    const onB = await watchAll(await open(b));
    const index = seriesIndex("china-mobile", "energy");
    const connections = 7_654_321;
    const response = await send(a, "POST", "/api/ingest", { samples: [{ operator: "china-mobile", sector: "energy", connections, at: Date.now() }] }, { authorization: `Bearer ${secret}` });
    expect(response.status).toBe(202);
    const firstShown = (ticks: Tick[]) => ticks.find((tick) => tick.v[index] === connections);
    const [shownA, shownB] = await Promise.all([
      eventually("the sample on A", () => firstShown(onA)),
      eventually("the sample on B", () => firstShown(onB)),
    ]);
    // Each node revises its own newest tick when it hears of the sample; B may have produced the next
    // one by then (a commit close to a tick's end), never a later one while the message is in time.
    expect([shownA.s, shownA.s + 1]).toContain(shownB.s);
    // Whatever tick B first shows it in, A shows the very same values in that tick (its last version).
    const onASameTick = await eventually("A's tick of the same seq", () => onA.findLast((tick) => tick.s === shownB.s));
    expect(shownB.v).toEqual(onASameTick.v);
  });

  it("shows the incidents triggered earlier on a node started later, from its first answer (they are stored)", { timeout: 90_000 }, async () => {
    expect(telecomOutage).toBeDefined();
    c = await startClusterNode(nodeEnv);
    const socket = await open(c);
    const answer = (await socket.emitWithAck("stream:subscribe", { ...ALL, snapshotTicks: 900 })) as { ok: boolean; data: StreamSubscribed };
    expect(answer.ok).toBe(true);
    const during = answer.data.ticks.filter((tick) => tick.t > telecomOutage!.startMs);
    expect(during.length).toBeGreaterThan(0);
    const model = new ConnectionModel(SEED);
    // China Telecom's series (china-mobile energy is measured since the sample test).
    const telecom = SERIES.flatMap((series, index) => (series.operator === "china-telecom" ? [index] : []));
    for (const tick of during) {
      const expected = model.valuesAt(tick.t, [telecomOutage!]);
      expect(telecom.map((index) => tick.v[index])).toEqual(telecom.map((index) => expected[index]));
    }
    await c.stop();
    c = undefined;
  });

  it("logs and drops a malformed cluster message, and keeps serving", async () => {
    // A stranger on the cluster's Redis channels: a socket.io server of the test's own with the same adapter.
    const transport = await connectClusterTransport({ redisUrl: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`, clusterName });
    const stranger = new Server(createServer());
    transport.attach(stranger);
    try {
      stranger.serverSideEmit(CLUSTER_BUS_EVENT, { event: "display:reload", from: "stranger", payload: { displayId: 42 } });
      stranger.serverSideEmit(CLUSTER_BUS_EVENT, { event: "no:such-event", from: "stranger", payload: {} });
      await eventually("both nodes logging the drops", () =>
        [a, b].every((node) => node.output().match(/dropped a malformed cluster message/g)?.length === 2),
      ).catch((error: Error) => {
        throw new Error(`${error.message}; node A said:\n${a.output().slice(-3000)}`);
      });
      expect(a.output()).toMatch(/"problem":"displayId: [^"]*","msg":"dropped a malformed cluster message"/);
      expect((await a.health()).body.status).toBe("ok");
    } finally {
      await new Promise<void>((resolve) => void stranger.close(() => resolve()));
      await transport.close();
    }
  });

  it("keeps local screens ticking while Redis is away, says degraded, and recovers when it returns", { timeout: 90_000 }, async () => {
    const onA = await watchAll(await open(a));
    await eventually("a first tick", () => onA.length > 0);
    await proxy.cut();
    const cutAt = onA.length;
    await eventually("health saying Redis is down", async () => {
      const { status, body } = await a.health();
      return status === 200 && body.status === "degraded" && body.cluster.redis?.status === "down";
    }, 30_000);
    await eventually("ticks going on without Redis", () => onA.length >= cutAt + 5);
    // Seq numbers keep running without a hole.
    const seqs = onA.map((tick) => tick.s);
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));

    // Triggered while Redis is away: stored, so node A shows it once Redis is back (re-read, or the message delivered late).
    const triggered = await send(b, "POST", "/api/simulator/incidents", { kind: "outage", operator: "china-unicom", magnitude: 0.9, durationSeconds: 60 });
    expect(triggered.status).toBe(201);
    const startMs = Date.parse(((await triggered.json()) as { incident: { startsAt: string } }).incident.startsAt);

    await proxy.restore();
    await eventually("health back to ok on both nodes", async () => {
      const [fromA, fromB] = await Promise.all([a.health(), b.health()]);
      return fromA.body.status === "ok" && fromB.body.status === "ok";
    }, 30_000);
    // Across nodes again: a reload sent through B reaches a screen on A once both have resubscribed.
    const screen = await open(a, operator.cookie);
    const heartbeat = { displayId: "cluster-screen-02", playlist: "overview", viewIndex: 0, viewTitle: "All", buildId: "cluster-test", jsHeapBytes: null, fps: null };
    expect(await screen.emitWithAck("display:heartbeat", heartbeat)).toEqual({ ok: true, data: { recorded: true } });
    const reloaded = new Promise<void>((resolve) => screen.once("display:reload", () => resolve()));
    await eventually("a reload through B reaching A after Redis returned", async () => (await send(b, "POST", "/api/displays/cluster-screen-02/reload")).status === 202, 30_000);
    await reloaded;
    const unicom = seriesIndex("china-unicom", "energy");
    const model = new ConnectionModel(SEED);
    const shown = await eventually("the incident triggered during the outage on A", () =>
      onA.find((tick) => tick.t > startMs + 2_000 && tick.v[unicom]! < model.valuesAt(tick.t)[unicom]! * 0.9),
    30_000);
    expect(shown).toBeDefined();
  });
});
