import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { openSeededDatabase } from "../support/database";
import { connectSocket, startStreamServer, type TestStreamServer } from "../support/stream-server";

/**
 * Issue 10, item 4: tests start the realtime server through the product's factory
 * (createRealtimeServer), so its handshake guards are the product's, not a copy that can drift.
 */
function handshakeStatus(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.once("error", reject);
    outgoing.end();
  });
}

describe("the realtime server built by createRealtimeServer", () => {
  let closeDatabase: () => Promise<void>;
  let server: TestStreamServer;

  beforeAll(async () => {
    ({ close: closeDatabase } = await openSeededDatabase());
    server = await startStreamServer();
  });
  afterAll(async () => {
    await server.stop();
    await closeDatabase();
  });

  it("answers a handshake addressed to another host 421, and its own host's normally", async () => {
    expect(await handshakeStatus(server.url, "rebound.example.net")).toBe(421);
    expect(await handshakeStatus(server.url, `127.0.0.1:${server.port}`)).toBe(200);
  });

  it("runs the access gate at the handshake: a cross-origin socket is refused", async () => {
    const socket = connect(server.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { origin: "http://elsewhere.example" } });
    try {
      const refusal = await new Promise<Error>((resolve, reject) => {
        socket.once("connect_error", resolve);
        socket.once("connect", () => reject(new Error("a cross-origin socket was let in")));
      });
      expect(refusal.message).toBe("forbidden origin");
    } finally {
      socket.close();
    }
    const sameOrigin = await connectSocket(server.url);
    sameOrigin.close();
  });
});
