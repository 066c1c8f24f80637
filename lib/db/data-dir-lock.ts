import "server-only";
import { createHash } from "node:crypto";
import { realpathSync, rmSync } from "node:fs";
import net from "node:net";
import { hostname } from "node:os";
import path from "node:path";

/** Who holds a data directory, as the holder tells it to anyone who asks. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export interface DataDirLock {
  release(): Promise<void>;
}

export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `the data directory ${dataDir} is in use by another M2M Pulse process` +
        (holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : "") +
        "; stop that process first, or set PULSE_DATA_DIR to another directory",
    );
  }
}

/**
 * On Linux the lock is a socket in the abstract namespace, named after the data directory: the
 * kernel lets one process bind it and drops it the moment that process dies, however it dies,
 * so there is no stale lock to judge. Elsewhere it is a socket file beside the directory (a stale
 * one is recognised because nobody answers on it).
 */
function lockAddress(dataDir: string): { address: string; file?: string } {
  if (process.platform === "linux") {
    // One name however the directory is reached (symlinks, relative paths); its parent exists by now.
    const canonical = path.join(realpathSync(path.dirname(path.resolve(dataDir))), path.basename(dataDir));
    const digest = createHash("sha256").update(canonical).digest("hex").slice(0, 32);
    return { address: `\0m2m-pulse/data-dir/${digest}` };
  }
  // Beside the directory, not in it: initdb wants an empty one.
  const file = `${path.resolve(dataDir)}.lock.sock`;
  return { address: file, file };
}

function listen(server: net.Server, address: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    server.once("error", onError);
    server.listen(address, () => {
      server.off("error", onError);
      resolve(null);
    });
  });
}

/** Asks the current holder who it is; null when nobody answers (a stale socket file). */
function askHolder(address: string): Promise<LockHolder | null> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = net.connect(address);
    const done = (holder: LockHolder | null) => {
      socket.destroy();
      resolve(holder);
    };
    socket.setTimeout(3_000, () => done(null));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.length > 1_000) done(null);
    });
    socket.on("end", () => {
      try {
        done(JSON.parse(answer) as LockHolder);
      } catch {
        done(null);
      }
    });
    socket.on("error", () => done(null));
  });
}

/**
 * Takes the data directory for this process, or throws DataDirBusyError naming the process that
 * has it. Held until `release()` or the process's death; it keeps nothing else alive.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const { address, file } = lockAddress(dataDir);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const server = net.createServer((socket) => socket.end(JSON.stringify(me)));
  for (let attempt = 0; ; attempt++) {
    const error = await listen(server, address);
    if (!error) break;
    if (error.code !== "EADDRINUSE") throw error;
    const holder = await askHolder(address);
    if (holder || !file || attempt > 0) throw new DataDirBusyError(dataDir, holder);
    rmSync(file, { force: true }); // nobody answers on it: left by a process that died
  }
  server.unref();
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
