import { once } from "node:events";
import { createServer, type Server as HttpServer } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { holdUnknownSessions, SessionDirectory } from "./session-gate";

const SESSION = "AbCdEfGhIjKlMnOpQr_-"; // 20 characters, as engine.io makes them
const request = (query: string) => `GET /socket.io/?EIO=4&transport=websocket${query} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n\r\n`;

describe("SessionDirectory", () => {
  it("learns sessions from sticky's own worker messages and forgets a worker's sessions when it exits", () => {
    const directory = new SessionDirectory();
    directory.hear(1, { type: "sticky:connection", data: SESSION });
    directory.hear(2, { type: "sticky:connection", data: "x".repeat(20) });
    directory.hear(2, { type: "pulse:ready" });
    directory.hear(2, "noise");
    expect(directory.has(SESSION)).toBe(true);
    directory.hear(1, { type: "sticky:disconnection", data: SESSION });
    expect(directory.has(SESSION)).toBe(false);
    directory.forgetWorker(2);
    expect(directory.has("x".repeat(20))).toBe(false);
  });

  it("wakes a waiter when the session is announced, and answers false when the wait runs out", async () => {
    const directory = new SessionDirectory();
    const announced = directory.whenBound(SESSION, 60_000);
    expect(directory.waiting(SESSION)).toBe(1);
    directory.bind(SESSION, 1);
    await expect(announced).resolves.toBe(true);
    expect(directory.waiting(SESSION)).toBe(0);
    await expect(directory.whenBound("y".repeat(20), 5)).resolves.toBe(false);
    expect(directory.waiting("y".repeat(20))).toBe(0);
  });
});

describe("holdUnknownSessions", () => {
  let listening: HttpServer;
  let directory: SessionDirectory;
  let routed: { socket: Socket; firstChunk: Promise<string>; received: () => string }[];
  const clients: Socket[] = [];
  const accepted: Socket[] = [];

  const start = async (options: Parameters<typeof holdUnknownSessions>[2]) => {
    const router = holdUnknownSessions(listening, directory, options);
    // As sticky does: it takes over the connection's "data" and reads the request's first chunk.
    router.on("connection", (socket: Socket) => {
      socket.removeAllListeners("data");
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
      routed.push({ socket, firstChunk: once(socket, "data").then(([chunk]) => (chunk as Buffer).toString("latin1")), received: () => received });
    });
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  };
  const send = async (text: string) => {
    const client = connect((listening.address() as AddressInfo).port, "127.0.0.1");
    clients.push(client);
    await once(client, "connect");
    client.write(text);
    return client;
  };

  beforeEach(() => {
    listening = createServer(() => {
      throw new Error("the primary must answer no request itself");
    });
    listening.on("connection", (socket: Socket) => accepted.push(socket));
    directory = new SessionDirectory();
    routed = [];
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const socket of accepted.splice(0)) socket.destroy();
    await new Promise((resolve) => listening.close(resolve));
  });

  it("routes a request without a session at once, its first chunk intact", async () => {
    await start({});
    await send(request(""));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(request(""));
  });

  it("routes a request of a session already announced at once", async () => {
    directory.bind(SESSION, 1);
    await start({});
    await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(request(`&sid=${SESSION}`));
  });

  it("holds a request of a session not yet announced until its worker announces it", async () => {
    await start({ holdMs: 60_000 });
    await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(directory.waiting(SESSION)).toBe(1));
    // Another request, without a session, passes the held one.
    await send(request(""));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(request(""));

    directory.hear(2, { type: "sticky:connection", data: SESSION });
    await vi.waitFor(() => expect(routed).toHaveLength(2));
    await expect(routed[1]!.firstChunk).resolves.toBe(request(`&sid=${SESSION}`));
  });

  it("routes a held request anyway when no announcement comes in time (a forged or ended session)", async () => {
    await start({ holdMs: 20 });
    await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(request(`&sid=${SESSION}`));
  });

  it("holds no more than maxHeld requests at once", async () => {
    await start({ holdMs: 60_000, maxHeld: 1 });
    await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(directory.waiting(SESSION)).toBe(1));
    await send(request(`&sid=${"z".repeat(20)}`));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toContain(`sid=${"z".repeat(20)}`);
  });

  it("keeps what else a held request sends, and hands it on with the first chunk", async () => {
    await start({ holdMs: 60_000 });
    const client = await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(directory.waiting(SESSION)).toBe(1));
    client.write("body");
    await vi.waitFor(() => expect(accepted[0]!.bytesRead).toBe(request(`&sid=${SESSION}`).length + 4));
    directory.bind(SESSION, 1);
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(`${request(`&sid=${SESSION}`)}body`);
  });

  it("routes a held request at once when it sends more than maxHeldBytes", async () => {
    await start({ holdMs: 60_000, maxHeldBytes: 1_000 });
    const client = await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(directory.waiting(SESSION)).toBe(1));
    client.write("x".repeat(2_000));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await vi.waitFor(() => expect(routed[0]!.received()).toBe(`${request(`&sid=${SESSION}`)}${"x".repeat(2_000)}`));
    // The announcement, when it comes, routes nothing twice.
    directory.bind(SESSION, 1);
    await send(request(""));
    await vi.waitFor(() => expect(routed).toHaveLength(2));
    await expect(routed[1]!.firstChunk).resolves.toBe(request(""));
  });

  it("drops a held request whose client went away", async () => {
    await start({ holdMs: 60_000 });
    const client = await send(request(`&sid=${SESSION}`));
    await vi.waitFor(() => expect(directory.waiting(SESSION)).toBe(1));
    client.destroy();
    await vi.waitFor(() => expect(accepted[0]!.destroyed).toBe(true));
    directory.bind(SESSION, 1);
    await send(request(""));
    await vi.waitFor(() => expect(routed).toHaveLength(1));
    await expect(routed[0]!.firstChunk).resolves.toBe(request(""));
  });
});
