import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../support/stream-server";

const children: ChildProcessWithoutNullStreams[] = [];

function watch(...args: string[]) {
  // One process (tsx as a loader, not its wrapper), so killing it leaves nothing behind.
  const child = spawn(process.execPath, ["--import", "tsx", "cli/watch.ts", ...args], { env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json", NO_COLOR: "1" } });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** A port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("npm run watch", () => {
  it("says why it cannot reach the server, and that it keeps retrying", { timeout: 60_000 }, async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const cli = watch("--url", url);
    await eventually("a message naming the problem", () => cli.stderr().includes(`cannot reach ${url}: ECONNREFUSED (nothing listens there: is the server running, on that port?); retrying`), 45_000);
    // The time zone of its timestamps is said, and each one is marked.
    expect(cli.stderr()).toContain("China Standard Time (CST, UTC+8)");
    expect(cli.stderr()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CST {2}connecting to /m);
    expect(cli.child.exitCode).toBeNull();
  });

  it("lists its options, the slugs and the default URL in --help", { timeout: 60_000 }, async () => {
    const cli = watch("--help");
    const [code] = await once(cli.child, "exit");
    expect(code).toBe(0);
    for (const expected of ["--url", "--operator", "--sector", "--json", "http://localhost:3000", "china-mobile, china-unicom, china-telecom", "energy", "CST, UTC+8"]) {
      expect(cli.stdout()).toContain(expected);
    }
  });
});
