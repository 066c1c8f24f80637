import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from "vitest";
import { io as connect } from "socket.io-client";
import type { Acknowledgement, StreamLagging, StreamSubscribed, SubscribeRequest, Tick } from "@/lib/contracts/realtime";
import type { Alert } from "@/lib/contracts/alerts";
import { StreamClient } from "@/lib/realtime/stream-client";
import { LAGGING_ROOM, type SocketLimits } from "@/server/realtime/stream-server";
import { openSeededDatabase } from "../support/database";
import { RawSocket } from "../support/raw-socket";
import { connectSocket, eventually, startStreamServer, type TestSocket, type TestStreamServer } from "../support/stream-server";

/**
 * Issue 9, item 2: sockets that never read, floods of acknowledgements, and one address opening
 * sockets without end must not grow the server or disturb the clients that behave.
 */
type Answer = Acknowledgement<StreamSubscribed>;
const EVERYTHING = { operators: [], sectors: [] };

function subscribe(socket: TestSocket, request: SubscribeRequest): Promise<Answer> {
  return new Promise((resolve) => socket.emit("stream:subscribe", request, resolve));
}

/** A socket.io client that reads everything: its ticks must arrive, every one, in order. */
async function wellBehaved(url: string) {
  const socket = await connectSocket(url);
  const ticks: Tick[] = [];
  socket.on("stream:tick", (tick) => ticks.push(tick));
  const answer = await subscribe(socket, { filter: EVERYTHING, snapshotTicks: 0 });
  expect(answer.ok).toBe(true);
  return { socket, ticks };
}

function expectEveryTick(ticks: Tick[], atLeast: number) {
  expect(ticks.length).toBeGreaterThanOrEqual(atLeast);
  for (let index = 1; index < ticks.length; index++) expect(ticks[index]!.s, `after ${ticks[index - 1]!.s}`).toBe(ticks[index - 1]!.s + 1);
}

const openSockets = (server: TestStreamServer) => server.io.sockets.sockets.size;

describe("limits on sockets that do not behave", () => {
  let closeDatabase: () => Promise<void>;
  const servers: TestStreamServer[] = [];
  const raws: RawSocket[] = [];
  const sockets: TestSocket[] = [];
  const clients: StreamClient[] = [];

  const start = async (limits: Partial<SocketLimits> = {}) => {
    const server = await startStreamServer({}, 0, limits);
    servers.push(server);
    return server;
  };
  const openRaw = async (url: string) => {
    const raw = await RawSocket.open(url);
    raws.push(raw);
    return raw;
  };

  beforeAll(async () => {
    ({ close: closeDatabase } = await openSeededDatabase());
  });
  afterEach(async () => {
    raws.splice(0).forEach((raw) => raw.terminate());
    sockets.splice(0).forEach((socket) => socket.close());
    clients.splice(0).forEach((client) => client.close());
    for (const server of servers.splice(0)) await server.stop();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await closeDatabase();
  });

  it(
    "cuts off 200 never-reading sockets re-subscribing to 900-tick snapshots, under 600 MB, while a reading client gets every tick",
    { timeout: 240_000 },
    async () => {
      const server = await start(); // the product's default limits
      const calm = await wellBehaved(server.url);
      sockets.push(calm.socket);

      const attackers = await Promise.all(Array.from({ length: 200 }, () => openRaw(server.url)));
      const request = { filter: EVERYTHING, snapshotTicks: 900 };
      for (const raw of attackers) {
        raw.stopReading();
        raw.emit("stream:subscribe", request);
      }
      // Once a second, as in the report: inside the plain message rate (2 a second).
      const pace = setInterval(() => attackers.forEach((raw) => raw.emit("stream:subscribe", request)), 1_000);
      let peakRss = process.memoryUsage().rss;
      try {
        await eventually(
          "every never-reading socket to be cut off",
          () => {
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
            expect(peakRss, "resident memory of the process serving the sockets").toBeLessThan(600 * 1024 ** 2);
            return openSockets(server) === 1;
          },
          200_000,
        );
      } finally {
        clearInterval(pace);
      }
      expect(calm.socket.connected).toBe(true);
      const seen = calm.ticks.length;
      await eventually("ticks after the attack", () => calm.ticks.length >= seen + 5);
      expectEveryTick(calm.ticks, 20);
    },
  );

  it("stops sending ticks to a socket past the soft cap of unsent bytes, then closes it, while a reading client misses none", { timeout: 60_000 }, async () => {
    // A generous message rate so that the never-reading socket fills its buffers in seconds, not minutes.
    const server = await start({ messageBurst: 1_000, messagesPerSecond: 1_000, subscriptionsPerAddressPerMinute: 1_000_000, lagTimeoutMs: 3_000 });
    const calm = await wellBehaved(server.url);
    sockets.push(calm.socket);
    const hog = await openRaw(server.url);
    hog.stopReading();
    const pump = setInterval(() => {
      for (let message = 0; message < 10; message++) hog.emit("stream:subscribe", { filter: EVERYTHING, snapshotTicks: 900 });
    }, 50);
    try {
      await eventually("the never-reading socket to be marked lagging", () => server.io.sockets.adapter.rooms.get(LAGGING_ROOM)?.size === 1, 30_000);
      await eventually("the never-reading socket to be closed", () => openSockets(server) === 1, 30_000);
    } finally {
      clearInterval(pump);
    }
    const seen = calm.ticks.length;
    await eventually("ticks after the hog is gone", () => calm.ticks.length >= seen + 5);
    expectEveryTick(calm.ticks, 20);
  });

  it("tells a socket that caught up how many ticks it missed, and resumes it without a hole", { timeout: 60_000 }, async () => {
    const server = await start({ messageBurst: 1_000, messagesPerSecond: 1_000, subscriptionsPerAddressPerMinute: 1_000_000, lagTimeoutMs: 60_000 });
    const raw = await openRaw(server.url);
    const first = raw.emit("stream:subscribe", { filter: { operators: ["china-mobile"], sectors: [] }, snapshotTicks: 0 });
    await eventually("the subscription answer and a few ticks", () => raw.answer(first) !== undefined && raw.events().filter((event) => event.name === "stream:tick").length >= 3);

    raw.stopReading();
    const pump = setInterval(() => {
      for (let message = 0; message < 10; message++) raw.emit("stream:subscribe", { filter: { operators: ["china-mobile"], sectors: [] }, snapshotTicks: 900 });
    }, 50);
    try {
      await eventually("the socket to be marked lagging", () => server.io.sockets.adapter.rooms.get(LAGGING_ROOM)?.size === 1, 30_000);
    } finally {
      clearInterval(pump);
    }
    raw.resumeReading();
    const notice = await eventually(
      "the stream:lagging notice",
      () => raw.events().find((event) => event.name === "stream:lagging")?.payload as StreamLagging | undefined,
      30_000,
    );
    expect(notice.droppedTicks).toBeGreaterThan(0);

    // Ticks up to the notice end where dropping began; `since` the last of them brings the rest.
    const events = raw.events();
    const before = events.slice(0, events.findIndex((event) => event.name === "stream:lagging")).filter((event) => event.name === "stream:tick");
    const lastHeld = (before.at(-1)!.payload as Tick).s;
    expect(lastHeld).toBe(notice.fromSeq - 1);
    const resume = raw.emit("stream:subscribe", { filter: { operators: ["china-mobile"], sectors: [] }, since: lastHeld });
    const answer = (await eventually("the resumption", () => raw.answer(resume), 10_000)) as Answer;
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.data.mode).toBe("resume");
    expect(answer.data.ticks[0]!.s).toBe(lastHeld + 1);
    expect(answer.data.ticks.length).toBeGreaterThanOrEqual(notice.droppedTicks);
  });

  it("brings a StreamClient that fell behind back to every tick", { timeout: 60_000 }, async () => {
    const server = await start({ sendBufferHardBytes: 256 * 1024 ** 2, lagTimeoutMs: 60_000 });
    const seqs: number[] = [];
    const client = new StreamClient({
      url: server.url,
      filter: EVERYTHING,
      snapshotTicks: 5,
      socketOptions: { transports: ["websocket"], forceNew: true, reconnection: false },
      handlers: {
        onSnapshot: (subscription) => seqs.push(...subscription.ticks.map((tick) => tick.s)),
        onTicks: (ticks) => seqs.push(...ticks.map((tick) => tick.s)),
      },
    });
    clients.push(client);
    await eventually("live", () => client.status === "live" && seqs.length > 10);

    // The screen stops reading (a frozen tab, a saturated link) while alerts pour in.
    const engine = (client as unknown as { socket: { io: { engine: { transport: { ws: { _socket: { pause(): void; resume(): void } } } } } } }).socket.io.engine;
    const tcp = engine.transport.ws._socket;
    tcp.pause();
    const [serverSide] = server.io.sockets.sockets.values();
    const alert = { id: 1, raisedAt: new Date().toISOString(), operator: "china-mobile", sector: null, kind: "drop", severity: "warning", observed: 1, expected: 2, expectedLow: 1, expectedHigh: 3, message: "x".repeat(60_000), provenance: "simulated", resolvedAt: null } as unknown as Alert;
    for (let burst = 0; burst < 160; burst++) serverSide!.emit("alert:raised", alert);
    await eventually("the socket to be marked lagging", () => server.io.sockets.adapter.rooms.get(LAGGING_ROOM)?.size === 1, 30_000);
    const cutAt = seqs.at(-1)!;
    tcp.resume();

    await eventually("ticks well past the lagging spell", () => seqs.at(-1)! > cutAt + 40, 30_000);
    expectEveryTick(seqs.map((s) => ({ s, t: 0, v: [] })), 50);
    expect(server.io.sockets.adapter.rooms.get(LAGGING_ROOM)?.size ?? 0).toBe(0);
  });

  it("has a StreamClient refused for too many connections try again later", { timeout: 60_000 }, async () => {
    const server = await start({ connectionsPerAddress: 1 });
    const first = await connectSocket(server.url);
    const refusals: string[] = [];
    const client = new StreamClient({
      url: server.url,
      filter: EVERYTHING,
      socketOptions: { transports: ["websocket"], forceNew: true },
      handlers: { onConnectError: (message) => refusals.push(message) },
    });
    clients.push(client);
    await eventually("the refusal", () => refusals.includes("too_many_connections"));
    first.close();
    await eventually("the client streaming after all", () => client.status === "live", 30_000);
  });

  it("counts acknowledgement packets: a flood of 9,500 is refused and the socket cut off", async () => {
    const server = await start();
    const raw = await openRaw(server.url);
    // Ten unsolicited acknowledgements spend the burst: the next event is refused.
    for (let ack = 0; ack < 10; ack++) raw.send(`3${ack}[]`);
    const probe = raw.emit("stream:subscribe", { filter: EVERYTHING, snapshotTicks: 0 });
    const refused = (await eventually("the answer to the probe", () => raw.answer(probe))) as Answer;
    expect(refused).toMatchObject({ ok: false, error: { code: "rate_limited" } });

    for (let ack = 0; ack < 9_500; ack++) raw.send(`3${ack}[]`);
    await raw.closed;
    expect(openSockets(server)).toBe(0);
  });

  it("charges a large answer more of the rate budget than a small one", async () => {
    const server = await start();
    const big = await connectSocket(server.url);
    const small = await connectSocket(server.url);
    sockets.push(big, small);
    const bigAnswers: Answer[] = [];
    for (let request = 0; request < 3; request++) bigAnswers.push(await subscribe(big, { filter: EVERYTHING, snapshotTicks: 900 }));
    expect(bigAnswers[0]!.ok && bigAnswers[0]!.data.ticks).toHaveLength(900);
    // 900 ticks of 21 series cost 5 of the burst of 10: the third is over the budget.
    expect(bigAnswers.map((answer) => (answer.ok ? "ok" : answer.error.code))).toEqual(["ok", "ok", "rate_limited"]);
    const smallAnswers = await Promise.all(Array.from({ length: 10 }, () => subscribe(small, { filter: EVERYTHING, snapshotTicks: 10 })));
    expect(smallAnswers.every((answer) => answer.ok)).toBe(true);
  });

  it("refuses the connection over the per-address cap at the handshake, and accepts again once one closes", async () => {
    const server = await start({ connectionsPerAddress: 5 });
    const five = await Promise.all(Array.from({ length: 5 }, () => connectSocket(server.url)));
    sockets.push(...five);
    const error = await connectSocket(server.url).then(
      (socket) => {
        sockets.push(socket);
        return undefined;
      },
      (refusal: Error & { data?: { message?: string } }) => refusal,
    );
    expect(error?.message).toBe("too_many_connections");
    expect(error?.data?.message).toBe("too many connections from this address: at most 5 at once");

    five[0]!.close();
    await eventually("the closed socket to be counted out", () => openSockets(server) === 4);
    sockets.push(await connectSocket(server.url));
  });

  it("behind a trusted proxy counts each client's forwarded address, not the proxy's", async () => {
    const behindProxy = (server: { url: string }, client: string) =>
      connectSocket(server.url, { extraHeaders: { "x-forwarded-for": `203.0.113.9, ${client}` } });
    const trusting = await start({ connectionsPerAddress: 1, trustProxy: true });
    sockets.push(await behindProxy(trusting, "198.51.100.1"), await behindProxy(trusting, "198.51.100.2"));
    await expect(behindProxy(trusting, "198.51.100.1")).rejects.toThrow("too_many_connections");

    // Without the setting the header is the client's own claim and is not believed.
    const direct = await start({ connectionsPerAddress: 1, trustProxy: false });
    sockets.push(await behindProxy(direct, "198.51.100.1"));
    await expect(behindProxy(direct, "198.51.100.2")).rejects.toThrow("too_many_connections");
  });

  it("refuses an address that opens sockets too fast", async () => {
    const server = await start({ connectsPerAddressPerMinute: 3 });
    for (let attempt = 0; attempt < 3; attempt++) (await connectSocket(server.url)).close();
    const refusal = await connectSocket(server.url).then(
      () => undefined,
      (error: Error & { data?: { message?: string; retryAfterMs?: number } }) => error,
    );
    expect(refusal?.message).toBe("too_many_connections");
    expect(refusal?.data?.message).toBe("too many new connections from this address: at most 3 a minute");
    expect(refusal?.data?.retryAfterMs).toBeGreaterThan(0);
  });

  it("lets a control room of 150 screens behind one address connect and subscribe with the default limits", { timeout: 60_000 }, async () => {
    const server = await start();
    const screens = await Promise.all(Array.from({ length: 150 }, () => connectSocket(server.url)));
    sockets.push(...screens);
    const answers = await Promise.all(screens.map((screen) => subscribe(screen, { filter: { operators: ["china-unicom"], sectors: [] }, snapshotTicks: 900 })));
    expect(answers.filter((answer) => !answer.ok)).toEqual([]);
  });

  it("limits subscriptions per address across its sockets", async () => {
    const server = await start({ subscriptionsPerAddressPerMinute: 4 });
    const screens = await Promise.all(Array.from({ length: 3 }, () => connectSocket(server.url)));
    sockets.push(...screens);
    const answers: Answer[] = [];
    for (const screen of [...screens, ...screens]) answers.push(await subscribe(screen, { filter: EVERYTHING, snapshotTicks: 0 }));
    expect(answers.map((answer) => (answer.ok ? "ok" : answer.error.message))).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
      expect.stringMatching(/^too many subscriptions from this address: at most 4 a minute/),
      expect.stringMatching(/^too many subscriptions from this address/),
    ]);
  });

  it("writes a few warnings per address for a flood of flooding sockets, not one per socket", async () => {
    const server = await start();
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write);

    const flooders = await Promise.all(Array.from({ length: 40 }, () => connectSocket(server.url)));
    sockets.push(...flooders);
    await Promise.all(
      flooders.map((flooder) => {
        const gone = new Promise((resolve) => flooder.once("disconnect", resolve));
        for (let message = 0; message < 60; message++) flooder.emit("stream:subscribe", { filter: EVERYTHING, snapshotTicks: 0 }, () => {});
        return gone;
      }),
    );
    const floodLines = lines.filter((line) => /flooding/.test(line));
    expect(floodLines.length).toBeGreaterThan(0);
    expect(floodLines.length).toBeLessThanOrEqual(3);
  });

  it("keeps a plain socket.io client working through all of this", async () => {
    const server = await start();
    const socket = connect(server.url, { transports: ["websocket"], forceNew: true, reconnection: false });
    sockets.push(socket);
    const hello = new Promise((resolve) => socket.once("server:hello", resolve));
    await expect(hello).resolves.toMatchObject({ buildId: "test-build" });
  });
});
