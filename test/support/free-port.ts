import { once } from "node:events";
import { createServer } from "node:net";

/**
 * A port free right now on loopback (bound, then released), for a test's own embedded PostgreSQL.
 * A fixed one can collide with another checkout's, a leftover process's, or — in the ephemeral
 * range (32768–60999) — any outgoing connection on the machine.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
