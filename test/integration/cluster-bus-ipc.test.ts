import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamSubscribed, Tick } from "@/lib/contracts/realtime";
import { createDisplayToken } from "@/lib/db/display-tokens";
import { ensureDefaultPlaylist } from "@/lib/db/playlists";
import { manualIncident } from "@/lib/domain/simulator/incidents";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import { signedInAccount, type TestAccount } from "../support/accounts";
import { startWorkerNodes, waitForPeers, type ClusterNode } from "../support/bus-cluster";
import { openSeededDatabase } from "../support/database";
import { connectSocket, eventually, type TestSocket } from "../support/stream-server";

/**
 * Without Redis, the workers of one node:cluster primary (as `npm start` runs them with
 * PULSE_WORKERS) reach each other through the primary's IPC: the same bus, another adapter.
 */

const SEED = "cluster-bus-ipc";
let database: Awaited<ReturnType<typeof openSeededDatabase>>;
let first: ClusterNode;
let second: ClusterNode;
let operator: TestAccount;
const sockets: TestSocket[] = [];

async function open(node: ClusterNode, cookie?: string): Promise<TestSocket> {
  const socket = await connectSocket(node.url, cookie ? { extraHeaders: { cookie } } : {});
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  database = await openSeededDatabase();
  await ensureDefaultPlaylist();
  operator = await signedInAccount("operator");
  const workers = await startWorkerNodes({ DATABASE_URL: database.url, REDIS_URL: "", SIM_SEED: SEED, SIM_TICK_MS: "200", HISTORY_BACKFILL_HOURS: "0" });
  [first, second] = [workers[0]!, workers[1]!];
  await waitForPeers([first, second]);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await first?.stop(); // the primary: both workers go with it
  await database?.close();
}, 60_000);

const send = (node: ClusterNode, method: string, path: string, body?: unknown) =>
  fetch(`${node.url}${path}`, {
    method,
    headers: { cookie: operator.cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("two workers of one primary, without Redis", () => {
  it("see each other in health, over node:cluster", async () => {
    const { status, body } = await first.health();
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.cluster).toMatchObject({ mode: "cluster", transport: "node-cluster", redis: null });
    expect(body.cluster.peers.map((peer) => peer.nodeId)).toContain((await second.health()).body.cluster.nodeId);
  });

  it("carry a reload, a revocation and an incident from one worker to the other", async () => {
    const screen = await open(first, operator.cookie);
    const heartbeat = { displayId: "ipc-screen-01", playlist: "overview", viewIndex: 0, viewTitle: "All", buildId: "cluster-test", jsHeapBytes: null, fps: null };
    expect(await screen.emitWithAck("display:heartbeat", heartbeat)).toEqual({ ok: true, data: { recorded: true } });
    const reloaded = new Promise<void>((resolve) => screen.once("display:reload", () => resolve()));
    const reload = await send(second, "POST", "/api/displays/ipc-screen-01/reload");
    expect(await reload.json()).toEqual({ reloading: "ipc-screen-01", sockets: 1 });
    await reloaded;

    const created = await createDisplayToken("overview", "ipc screen");
    const wall = await open(second, `pulse_display=${created!.secret}`);
    const revoked = new Promise<void>((resolve) => wall.once("display:revoked", () => resolve()));
    const revoke = await send(first, "DELETE", `/api/display-tokens/${created!.token.id}`);
    expect(((await revoke.json()) as { disconnected: number }).disconnected).toBe(1);
    await revoked;

    const ticks: Tick[] = [];
    const watcher = await open(second);
    watcher.on("stream:tick", (tick) => ticks.push(tick));
    expect(((await watcher.emitWithAck("stream:subscribe", { filter: { operators: [], sectors: [] } })) as { ok: boolean; data: StreamSubscribed }).ok).toBe(true);
    const response = await send(first, "POST", "/api/simulator/incidents", { kind: "surge", sector: "energy", magnitude: 0.5, durationSeconds: 60 });
    expect(response.status).toBe(201);
    const startMs = Date.parse(((await response.json()) as { incident: { startsAt: string } }).incident.startsAt);
    const incident = manualIncident("surge", { operator: null, sector: "energy" }, startMs, { magnitude: 0.5, durationMs: 60_000 });
    const shown = await eventually("a tick on the other worker well into the surge", () => ticks.find((tick) => tick.t > startMs + 2_000));
    expect(shown.v).toEqual(new ConnectionModel(SEED).valuesAt(shown.t, [incident]));
    expect(shown.v).not.toEqual(new ConnectionModel(SEED).valuesAt(shown.t));
  });
});
