import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { healthResponseSchema, type HealthResponse } from "@/lib/contracts/health";
import { freePort } from "./free-port";
import { eventually } from "./stream-server";

export interface ClusterNodeProcess {
  url: string;
  pid: number;
  process: ChildProcessWithoutNullStreams;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Its /api/health answer, or undefined while it does not answer. */
  health(): Promise<HealthResponse | undefined>;
  /** Sends `signal` and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The environment every node of one test's cluster shares: its database, Redis, and a Redis namespace of its own. */
export function clusterEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: "redis://127.0.0.1:6379",
    PULSE_CLUSTER: `test-${randomBytes(5).toString("hex")}`,
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    ...extra,
  };
}

/**
 * Starts test/support/cluster-node.ts (server/main.ts's start without Next.js) as its own process
 * on a free port, and waits until it listens. Killed by `stop` (SIGKILL to simulate a crash).
 */
export async function startClusterNode(env: Record<string, string>, timeoutMs = 60_000): Promise<ClusterNodeProcess> {
  const port = await freePort();
  // One process (tsx as a loader, not its wrapper), so SIGKILL kills the node itself.
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/cluster-node.ts"], {
    env: { ...process.env, NODE_ENV: "production", TSX_TSCONFIG_PATH: "tsconfig.node.json", HOST: "127.0.0.1", PORT: String(port), ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    `a cluster node listening on ${port}`,
    () => {
      if (child.exitCode !== null) throw new Error(`cluster node exited with ${child.exitCode} before it was ready:\n${output}`);
      return output.includes(`cluster node listening on ${port}`);
    },
    timeoutMs,
  );
  return {
    url,
    pid: child.pid!,
    process: child,
    output: () => output,
    health: async () => {
      try {
        const response = await fetch(`${url}/api/health`);
        return healthResponseSchema.parse(await response.json());
      } catch {
        return undefined;
      }
    },
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
