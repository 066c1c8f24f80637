import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import type { AccessGate } from "./access-gate";
import { createSocketServer, type StreamIo } from "./realtime/stream-server";
import { createLogger } from "@/lib/logger";

const log = createLogger("http");

export interface ApplicationOptions {
  /** Next.js development mode (HMR) rather than the production build. */
  dev: boolean;
  /** The project directory holding app/ and .next/. */
  dir: string;
  hostname: string;
  port: number;
  gate: AccessGate;
}

export interface Application {
  httpServer: HttpServer;
  io: StreamIo;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting connections and closes every open socket and HTTP connection. */
  close(): Promise<void>;
}

/**
 * One HTTP server carrying both Next.js (pages and API routes) and socket.io, so the whole
 * product runs in one process on one port.
 */
export async function createApplication(options: ApplicationOptions): Promise<Application> {
  const httpServer = createServer();
  const nextApp = next({
    dev: options.dev,
    dir: options.dir,
    hostname: options.hostname,
    port: options.port,
    httpServer,
  });
  await nextApp.prepare();
  const handleRequest = nextApp.getRequestHandler();

  httpServer.on("request", (request, response) => {
    (async () => {
      if (await options.gate.handleHttp(request, response)) return;
      await handleRequest(request, response);
    })().catch((error: unknown) => {
      log.error("unhandled request error", { url: request.url, error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end();
      }
    });
  });

  const io = createSocketServer(httpServer);
  io.use((socket, next) => void options.gate.authenticateSocket(socket, next));

  return {
    httpServer,
    io,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(options.port, options.hostname, () => {
          httpServer.off("error", reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    close: async () => {
      // io.close() disconnects every socket and closes the HTTP server (stops accepting).
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await nextApp.close();
    },
  };
}
