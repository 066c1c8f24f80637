import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { clusterHealthSchema, type ClusterHealth } from "@/lib/contracts/cluster";
import { eventually } from "./stream-server";

/** The machine's Redis, shared with other runs: every test cluster gets a name (PULSE_CLUSTER) of its own. */
export const TEST_REDIS = { host: "127.0.0.1", port: Number(process.env.REDIS_TEST_PORT ?? 6379) };

export const uniqueClusterName = () => `pulse-test-${randomBytes(5).toString("hex")}`;

export interface ClusterNode {
  url: string;
  process: ChildProcess;
  output(): string;
  health(): Promise<{ status: number; body: { status: string; cluster: ClusterHealth } }>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts one node of a test cluster (test/support/bus-node.ts) as its own process on a port
 * it picks, with `env` on top of the test's environment, and waits until it serves.
 */
export async function startClusterNode(env: Record<string, string>): Promise<ClusterNode> {
  return (await startNodes("test/support/bus-node.ts", env, 1))[0]!;
}

/**
 * Two nodes as the workers of one node:cluster primary (test/support/bus-primary.ts), talking
 * through its IPC; stopping either stops the primary and both.
 */
export function startWorkerNodes(env: Record<string, string>): Promise<ClusterNode[]> {
  return startNodes("test/support/bus-primary.ts", env, 2);
}

async function startNodes(entry: string, env: Record<string, string>, count: number): Promise<ClusterNode[]> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json", NO_COLOR: "1", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  const ports = await eventually(
    `${count} cluster node(s) listening`,
    () => {
      if (child.exitCode !== null) throw new Error(`the cluster node exited with ${child.exitCode}:\n${output}`);
      const found = [...output.matchAll(/^listening (\d+)$/gm)].map((match) => match[1]!);
      return found.length >= count && found;
    },
    60_000,
  );
  return ports.map((port) => node(`http://127.0.0.1:${port}`, child, () => output, exited));
}

function node(url: string, child: ChildProcess, output: () => string, exited: Promise<unknown>): ClusterNode {
  return {
    url,
    process: child,
    output,
    health: async () => {
      const response = await fetch(`${url}/api/health`);
      const body = (await response.json()) as { status: string; cluster: unknown };
      return { status: response.status, body: { status: body.status, cluster: clusterHealthSchema.parse(body.cluster) } };
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until every node lists every other one among its peers. */
export async function waitForPeers(nodes: readonly ClusterNode[]): Promise<void> {
  const ids = await Promise.all(nodes.map(async (node) => (await node.health()).body.cluster.nodeId));
  await eventually(
    "every node seeing the others",
    async () => {
      for (const [index, node] of nodes.entries()) {
        const peers = new Set((await node.health()).body.cluster.peers.map((peer) => peer.nodeId));
        if (!ids.every((id, other) => other === index || peers.has(id))) return false;
      }
      return true;
    },
    30_000,
  );
}

/** Deletes what a test cluster left in Redis (its stream and session keys), never anything else. */
export async function dropClusterKeys(clusterName: string): Promise<void> {
  const client = createClient({ url: `redis://${TEST_REDIS.host}:${TEST_REDIS.port}` });
  client.on("error", () => {});
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${clusterName}:*`, COUNT: 100 })) if (keys.length) await client.del(keys);
  } finally {
    client.destroy();
  }
}
