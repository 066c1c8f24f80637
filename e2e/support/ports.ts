import { once } from "node:events";
import { createServer } from "node:net";

/** The shared e2e server. Specs that need a server of their own take ports above it. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);
/** The embedded PostgreSQL used for e2e when DATABASE_URL is unset. */
export const E2E_EMBEDDED_PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 54349);

/**
 * A port free right now on loopback (bound, then released), for a spec's own embedded PostgreSQL:
 * a fixed offset can collide with another checkout's or a leftover process's.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
