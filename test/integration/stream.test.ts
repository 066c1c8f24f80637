import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Acknowledgement, StreamSubscribed, SubscribeRequest, Tick } from "@/lib/contracts/realtime";
import { seriesIndex } from "@/lib/domain/series";
import { captureLogs } from "@/lib/logger";
import { StreamClient, type StreamStatus } from "@/lib/realtime/stream-client";
import { openSeededDatabase } from "../support/database";
import { io as connect } from "socket.io-client";
import { connectSocket, eventually, startStreamServer, type TestSocket, type TestStreamServer } from "../support/stream-server";

type Answer = Acknowledgement<StreamSubscribed>;

function subscribe(socket: TestSocket, request: unknown): Promise<Answer> {
  return new Promise((resolve) => socket.emit("stream:subscribe", request as SubscribeRequest, resolve));
}

function collectTicks(socket: TestSocket): Tick[] {
  const ticks: Tick[] = [];
  socket.on("stream:tick", (tick) => ticks.push(tick));
  return ticks;
}

const expectContiguous = (seqs: number[]) => {
  for (let index = 1; index < seqs.length; index++) expect(seqs[index], `after ${seqs[index - 1]}`).toBe(seqs[index - 1]! + 1);
};

describe("the live stream over socket.io", () => {
  let closeDatabase: () => Promise<void>;
  let server: TestStreamServer;
  const sockets: TestSocket[] = [];
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    ({ close: closeDatabase } = await openSeededDatabase());
    server = await startStreamServer();
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.close());
    clients.splice(0).forEach((client) => client.close());
  });
  afterAll(async () => {
    await server.stop();
    await closeDatabase();
  });

  const open = async () => {
    const socket = await connectSocket(server.url);
    sockets.push(socket);
    return socket;
  };

  it("greets a new socket with the server's build and tick interval", async () => {
    const socket: TestSocket = connect(server.url, { transports: ["websocket"], forceNew: true, autoConnect: false });
    sockets.push(socket);
    const hello = new Promise((resolve) => socket.once("server:hello", resolve));
    socket.connect();
    await expect(hello).resolves.toMatchObject({ buildId: "test-build", tickMs: 50, simulator: "on" });
  });

  it("answers a subscription with a snapshot, then sends every following tick in order", async () => {
    const socket = await open();
    const ticks = collectTicks(socket);
    const answer = await subscribe(socket, { filter: { operators: [], sectors: [] }, snapshotTicks: 20 });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.mode).toBe("snapshot");
    expect(answer.data.series).toHaveLength(21);
    expect(answer.data.ticks).toHaveLength(20);
    expectContiguous(answer.data.ticks.map((tick) => tick.s));

    await eventually("ten live ticks", () => ticks.length >= 10);
    // The first live tick follows the snapshot's last: no hole, no repeat.
    expect(ticks[0]!.s).toBe(answer.data.ticks.at(-1)!.s + 1);
    expectContiguous(ticks.map((tick) => tick.s));
    for (const tick of ticks) {
      expect(tick.v).toHaveLength(21);
      expect(tick.v.every((value) => Number.isInteger(value) && value! > 0)).toBe(true);
    }
  });

  it("sends a filtered socket only its series, the same values the unfiltered one sees", async () => {
    const everything = await open();
    const mobile = await open();
    const allTicks = collectTicks(everything);
    const mobileTicks = collectTicks(mobile);
    await subscribe(everything, { filter: { operators: [], sectors: [] } });
    const answer = await subscribe(mobile, { filter: { operators: ["china-mobile"], sectors: [] } });
    expect(answer.ok && answer.data.series.map((series) => series.operator)).toEqual(Array(7).fill("china-mobile"));

    await eventually("ticks on both sockets", () => mobileTicks.length >= 5 && allTicks.length >= 5);
    const bySeq = new Map(allTicks.map((tick) => [tick.s, tick]));
    const shared = mobileTicks.filter((tick) => bySeq.has(tick.s));
    expect(shared.length).toBeGreaterThan(0);
    for (const tick of shared) {
      expect(tick.v).toHaveLength(7);
      expect(tick.v).toEqual(bySeq.get(tick.s)!.v.slice(seriesIndex("china-mobile", "energy"), seriesIndex("china-mobile", "retail") + 1));
    }
  });

  it("changes the filter on the same connection", async () => {
    const socket = await open();
    const ticks = collectTicks(socket);
    await subscribe(socket, { filter: { operators: ["china-unicom"], sectors: [] } });
    const changed = await subscribe(socket, { filter: { operators: [], sectors: ["energy"] } });
    expect(changed.ok && changed.data.series).toEqual([
      { operator: "china-mobile", sector: "energy" },
      { operator: "china-unicom", sector: "energy" },
      { operator: "china-telecom", sector: "energy" },
    ]);
    const before = ticks.length;
    await eventually("ticks after the change", () => ticks.length >= before + 5);
    expect(ticks.slice(before).every((tick) => tick.v.length === 3)).toBe(true);
    expect(server.realtime.stream.activeRooms()).toBeGreaterThanOrEqual(1);
  });

  it("resumes after the connection drops with exactly the missed ticks", async () => {
    const seqs: number[] = [];
    const statuses: StreamStatus[] = [];
    const modes: string[] = [];
    const client = new StreamClient({
      url: server.url,
      filter: { operators: ["china-telecom"], sectors: [] },
      snapshotTicks: 5,
      // Back after ~0.4 s: several 50 ms ticks are missed and must come back in the resumption.
      socketOptions: { transports: ["websocket"], reconnectionDelay: 400, reconnectionDelayMax: 400, randomizationFactor: 0, forceNew: true },
      handlers: {
        onSnapshot: (subscription) => {
          modes.push(subscription.mode);
          seqs.push(...subscription.ticks.map((tick) => tick.s));
        },
        onTicks: (ticks) => {
          batches.push(ticks.length);
          seqs.push(...ticks.map((tick) => tick.s));
        },
        onStatus: (status) => statuses.push(status),
      },
    });
    clients.push(client);
    const batches: number[] = [];
    await eventually("live", () => client.status === "live" && seqs.length > 10);

    // Drop this client's connection under it, mid-stream, as a network failure would.
    server.io.sockets.sockets.forEach((socket) => {
      if (socket.data.room === "stream:china-telecom|*") socket.conn.close();
    });
    await eventually("reconnecting", () => statuses.includes("reconnecting"));
    const cutAt = seqs.at(-1)!;
    await eventually("resumed and ticking", () => client.status === "live" && seqs.at(-1)! > cutAt + 10);

    expect(modes).toEqual(["snapshot"]); // the reconnect resumed rather than starting over
    expect(Math.max(...batches)).toBeGreaterThan(1); // and the resumption carried the missed ticks
    expectContiguous(seqs);
  });

  it("rejects bad messages with a reason and keeps serving", async () => {
    const socket = await open();
    const reasons = await Promise.all([
      subscribe(socket, { filter: { operators: ["china-mobil"] } }),
      subscribe(socket, { filter: {}, extra: 1 }),
      subscribe(socket, "everything please"),
      subscribe(socket, { filter: {}, since: -5 }),
      subscribe(socket, { filter: {}, snapshotTicks: 100_000 }),
    ]);
    expect(reasons.map((answer) => (answer.ok ? "ok" : answer.error.message))).toEqual([
      expect.stringContaining(`unknown operator "china-mobil"; expected one of china-mobile, china-unicom, china-telecom`),
      expect.stringContaining(`Unrecognized key: "extra"`),
      expect.stringContaining("expected object"),
      expect.stringMatching(/^since: /),
      expect.stringMatching(/^snapshotTicks: /),
    ]);

    const errors: string[] = [];
    socket.on("client:error", (error) => errors.push(error.message));
    socket.emit("stream:subscribe", { filter: {} } as SubscribeRequest, undefined as never);
    (socket as unknown as { emit(event: string, ...args: unknown[]): void }).emit("admin:shutdown", {});
    await eventually("two error messages", () => errors.length >= 2);
    expect(errors).toHaveLength(2);
    expect(errors).toContain("stream:subscribe needs an acknowledgement callback");
    expect(errors).toContain("unknown event 'admin:shutdown'; expected one of stream:subscribe, stream:unsubscribe, display:heartbeat");

    // Still connected and served.
    const fine = await subscribe(socket, { filter: { operators: [], sectors: ["retail"] } });
    expect(fine.ok).toBe(true);
  });

  it("cuts off a socket that sends an oversized message", async () => {
    const socket = await open();
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit("stream:subscribe", { filter: { operators: [], sectors: [] }, padding: "x".repeat(64 * 1024) } as unknown as SubscribeRequest, () => {});
    await expect(closed).resolves.toBeTruthy();
  });

  it("refuses a flood from one socket, then disconnects it with one warning, while others carry on", async () => {
    const logs = captureLogs("warn");
    const calm = await open();
    const flooder = await open();
    const answers: Answer[] = [];
    const disconnected = new Promise((resolve) => flooder.once("disconnect", resolve));
    for (let message = 0; message < 60; message++) {
      flooder.emit("stream:subscribe", { filter: { operators: [], sectors: [] }, snapshotTicks: 0 }, (answer: Answer) => answers.push(answer));
    }
    await disconnected;
    logs.stop();
    expect(logs.lines.filter((line) => line.includes("disconnected a flooding client"))).toHaveLength(1);
    expect(answers.some((answer) => !answer.ok && answer.error.code === "rate_limited")).toBe(true);
    expect(answers.filter((answer) => answer.ok).length).toBeLessThanOrEqual(12);
    expect((await subscribe(calm, { filter: { operators: [], sectors: [] }, snapshotTicks: 0 })).ok).toBe(true);
  });
});
