import { EventEmitter } from "node:events";
import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";

/** socket.io's default path, which the stream server and every client use. */
const SOCKET_IO_PATH = "/socket.io/";

/**
 * What to give Next.js as its HTTP server: a stand-in that hears every WebSocket upgrade of
 * `httpServer` but socket.io's. Next listens for upgrades on the server it is given (the dev
 * server's HMR socket, rewrites to WebSocket backends) and, for each one, resolves its routes and
 * keeps an AbortController and listeners on the socket for as long as it is open. For a live-stream
 * socket, which is engine.io's alone, that was a route resolution per handshake and ~3 KB of memory
 * per connection (bench/README.md, issue 12).
 */
export function upgradesForNext(httpServer: HttpServer): HttpServer {
  const upgrades = new EventEmitter();
  httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // engine.io's own test for its path (Server.check): the URL starts with it.
    if (!request.url?.startsWith(SOCKET_IO_PATH)) upgrades.emit("upgrade", request, socket, head);
  });
  // Next only ever calls .on("upgrade") on it (next.js setupWebSocketHandler).
  return upgrades as unknown as HttpServer;
}
