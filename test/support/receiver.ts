import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got, body as the exact text sent. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** What the receiver answered. */
  status: number;
}

export type Answer = { status: number; body?: string } | "hang";

/**
 * A real HTTP server standing in for a webhook receiver or a group robot: records every request
 * and answers what `answer` says for the n-th one (0-based). Tests wait for the request they
 * expect with `next()` instead of sleeping.
 */
export interface Receiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Resolves with the first request (already received or still to come) that `matches`. */
  waitFor(matches: (request: ReceivedRequest) => boolean, what: string, timeoutMs?: number): Promise<ReceivedRequest>;
  answer: (request: Omit<ReceivedRequest, "status">, index: number) => Answer;
  /** Stops listening (a contact point that is down) and ends open connections. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

export async function startReceiver(answer: Receiver["answer"] = () => ({ status: 200, body: "ok" }), port = 0): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const waiters = new Set<{ matches: (request: ReceivedRequest) => boolean; resolve: (request: ReceivedRequest) => void }>();
  const hanging = new Set<import("node:http").ServerResponse>();
  let server: Server;

  const listen = async (onPort: number) => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const seen = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
        const decided = receiver.answer(seen, received.length);
        const status = decided === "hang" ? 0 : decided.status;
        const record = { ...seen, status };
        received.push(record);
        for (const waiter of [...waiters]) {
          if (waiter.matches(record)) {
            waiters.delete(waiter);
            waiter.resolve(record);
          }
        }
        if (decided === "hang") {
          hanging.add(response);
          return;
        }
        response.writeHead(decided.status, { "content-type": "application/json" }).end(decided.body ?? "");
      });
    });
    server.listen(onPort, "127.0.0.1");
    await once(server, "listening");
    return (server.address() as AddressInfo).port;
  };

  const boundPort = await listen(port);
  const receiver: Receiver = {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    received,
    answer,
    waitFor(matches, what, timeoutMs = 20_000) {
      const already = received.find(matches);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          matches,
          resolve: (request: ReceivedRequest) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the receiver got no ${what} within ${timeoutMs} ms (got ${received.length} requests)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      for (const response of hanging) response.destroy();
      hanging.clear();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
    async reopen() {
      await listen(boundPort);
    },
  };
  return receiver;
}

/** Polls `check` (a database condition) until it holds; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
