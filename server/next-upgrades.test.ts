import { createServer, type IncomingMessage } from "node:http";
import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { upgradesForNext } from "./next-upgrades";

function upgrade(url: string): IncomingMessage {
  return { url } as IncomingMessage;
}

describe("upgradesForNext", () => {
  it("hands Next every WebSocket upgrade but socket.io's", () => {
    const httpServer = createServer();
    const seen: string[] = [];
    upgradesForNext(httpServer).on("upgrade", (request: IncomingMessage) => seen.push(request.url!));
    const socket = new Duplex();
    for (const url of ["/socket.io/?EIO=4&transport=websocket", "/_next/hmr", "/_next/webpack-hmr?page=/", "/socket.iox/", "/"]) {
      httpServer.emit("upgrade", upgrade(url), socket, Buffer.alloc(0));
    }
    expect(seen).toEqual(["/_next/hmr", "/_next/webpack-hmr?page=/", "/socket.iox/", "/"]);
  });
});
