import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { logDir, recordSecret } from "./secrets";
import { TEST_ADMIN_PASSWORD } from "./sign-in";

export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built server (dist/server.js) as its own process, the way `npm start` does,
 * and waits until /api/health answers 200. Its first admin gets TEST_ADMIN_PASSWORD (sign in with
 * `signIn()` from ./sign-in) unless `env` sets PULSE_ADMIN_PASSWORD itself.
 */
export async function startServer(options: {
  port: number;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
  /** In a process group of its own, as a terminal starts it; `stop` then signals the whole group, as Ctrl-C does. */
  processGroup?: boolean;
}): Promise<RunningServer> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(options.port), HOST: "127.0.0.1", PULSE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ...options.env })) {
    if (value !== undefined) env[key] = value;
  }
  const child = spawn(process.execPath, ["--enable-source-maps", "dist/server.js"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.processGroup ?? false,
  });
  recordSecret(env.PULSE_ADMIN_PASSWORD);
  recordSecret(env.METRICS_TOKEN);
  // In an e2e run, everything the server prints is kept for the secrets check (e2e/support/secrets.ts).
  const dir = logDir();
  const file = dir ? createWriteStream(path.join(dir, `server-${options.port}-${Date.now()}-${child.pid}.log`)) : undefined;
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    file?.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => file?.end());
  const exited = once(child, "exit").then(([code]) => code as number | null);

  const url = `http://127.0.0.1:${options.port}`;
  // Generous: migrations, seed and back-fill on a machine shared with other work.
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (true) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server was not ready within the deadline:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    process: child,
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) {
        if (options.processGroup) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
      return exited;
    },
  };
}
