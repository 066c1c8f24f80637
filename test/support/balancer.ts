import net from "node:net";

/**
 * A test load balancer: a TCP relay in front of several backends, so HTTP and WebSocket alike pass
 * through it untouched. Each new connection goes to the next backend in turn (round-robin, as an
 * ordinary balancer without stickiness does); a backend that refuses it (dead) is skipped for the
 * next one, so a client reconnecting after its node died lands on a live one. Enough for
 * WebSocket-only socket.io clients, whose one connection is the whole session.
 */
export interface Balancer {
  port: number;
  url: string;
  /** Which backend (index into `backends`) each open client connection is relayed to. */
  connectionsTo(backend: number): number;
  /** Takes a backend out of the rotation and cuts its relayed connections (the node behind stays up). */
  closeBackend(backend: number): void;
  /** Puts a backend back in the rotation. */
  openBackend(backend: number): void;
  close(): Promise<void>;
}

export async function startBalancer(backends: readonly { host: string; port: number }[]): Promise<Balancer> {
  const open = backends.map(() => true);
  const relayed = backends.map(() => new Set<net.Socket>());
  const clients = new Set<net.Socket>();
  let next = 0;

  /** Connects to the first live backend from the next in turn; undefined when none answers. */
  const connectUpstream = async (): Promise<{ upstream: net.Socket; backend: number } | undefined> => {
    const first = next;
    next = (next + 1) % backends.length;
    for (let tried = 0; tried < backends.length; tried++) {
      const backend = (first + tried) % backends.length;
      if (!open[backend]) continue;
      const upstream = net.connect(backends[backend]!.port, backends[backend]!.host);
      const connected = await new Promise<boolean>((resolve) => {
        upstream.once("connect", () => resolve(true));
        upstream.once("error", () => resolve(false));
      });
      if (connected) return { upstream, backend };
      upstream.destroy();
    }
    return undefined;
  };

  const server = net.createServer((client) => {
    clients.add(client);
    client.on("close", () => clients.delete(client));
    client.on("error", () => client.destroy());
    // Hold what the client sends until the upstream is chosen.
    client.pause();
    void connectUpstream().then((chosen) => {
      if (!chosen || client.destroyed) {
        chosen?.upstream.destroy();
        client.destroy();
        return;
      }
      const { upstream, backend } = chosen;
      relayed[backend]!.add(client);
      const end = () => {
        relayed[backend]!.delete(client);
        client.destroy();
        upstream.destroy();
      };
      upstream.on("error", end);
      upstream.on("close", end);
      client.on("close", end);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connectionsTo: (backend) => relayed[backend]!.size,
    closeBackend: (backend) => {
      open[backend] = false;
      for (const client of relayed[backend]!) client.destroy();
    },
    openBackend: (backend) => {
      open[backend] = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
      }),
  };
}
