import "server-only";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createLogger } from "@/lib/logger";
import { lockDataDir, type DataDirLock } from "./data-dir-lock";

const log = createLogger("embedded-postgres");

const SUPERUSER = "postgres";
/** The role the application connects as: owns its database, nothing more. */
export const APPLICATION_ROLE = "m2m_pulse_app";
/**
 * The superuser password of every data directory initialised before passwords were generated.
 * Used once, to replace it, so that an upgrade does not lock its user out.
 */
const LEGACY_PASSWORD = "m2m-pulse";
const CREDENTIALS_FILE = "postgres-credentials.json";
const STOP_DEADLINE_MS = 15_000;
const START_DEADLINE_MS = 60_000;
const PORT_ATTEMPTS = 3;

export interface EmbeddedCredentials {
  superuser: { user: string; password: string };
  application: { user: string; password: string };
}

export interface EmbeddedDatabase {
  /** The application's connection string: its own role, owner of `database`, no superuser rights. */
  url: string;
  /** Superuser connection string to the `postgres` database; for provisioning and test fixtures only. */
  superuserUrl: string;
  dataDir: string;
  /** Where the generated passwords are kept (0600). */
  credentialsFile: string;
  stop(): Promise<void>;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to walk every directory
 * above its data directory. A project under a 0700 home fails that, so the data then goes to
 * a fixed place under /var/tmp (kept across reboots, unlike /tmp), named after the project.
 */
function usableDataDir(requested: string): string {
  const absolute = path.resolve(requested);
  if (process.getuid?.() !== 0) return absolute;
  let dir = path.dirname(absolute);
  while (true) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = path.join(
        "/var/tmp/m2m-pulse",
        createHash("sha256").update(absolute).digest("hex").slice(0, 12),
        "postgres",
      );
      log.warn("data directory is not reachable by the postgres user; using a fallback", {
        requested: absolute,
        blockedBy: dir,
        using: fallback,
      });
      return fallback;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return absolute;
    dir = parent;
  }
}

const newPassword = () => randomBytes(24).toString("base64url");

/**
 * The passwords of this data directory, generated the first time and kept beside it, readable
 * by the server's user only. Written before they are used, so a crash in between never leaves
 * a cluster whose password nobody knows.
 */
function loadOrCreateCredentials(file: string): EmbeddedCredentials {
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) {
      log.warn("credentials file was readable by others; made it private", { file });
      chmodSync(file, 0o600);
    }
    const stored = JSON.parse(readFileSync(file, "utf8")) as EmbeddedCredentials;
    if (stored.superuser?.password && stored.application?.password) return stored;
    throw new Error(`${file} is damaged; restore it from a backup (it holds the embedded database's passwords)`);
  }
  const created: EmbeddedCredentials = {
    superuser: { user: SUPERUSER, password: newPassword() },
    application: { user: APPLICATION_ROLE, password: newPassword() },
  };
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  renameSync(partial, file);
  return created;
}

/**
 * The binaries of the platform package that embedded-postgres installs for this machine (that
 * package itself is not imported: it spawns postgres in our process group and hooks our signals).
 */
async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`no PostgreSQL binaries for this platform (${name} is not installed); set DATABASE_URL to use your own PostgreSQL`);
  }
}

/** As root, postgres must run as `postgres`: the ids to run it with (creating the user if needed). */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const run = promisify(execFile);
  const ids = async () => ({
    uid: Number.parseInt((await run("id", ["-u", SUPERUSER])).stdout, 10),
    gid: Number.parseInt((await run("id", ["-g", SUPERUSER])).stdout, 10),
  });
  try {
    return await ids();
  } catch {
    await run("groupadd", ["-f", SUPERUSER]);
    await run("useradd", ["-g", SUPERUSER, SUPERUSER]);
    return ids();
  }
}

/** A small environment: postgres needs no secrets of the server's. */
function postgresEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_MESSAGES: "C" };
  for (const key of ["LANG", "LC_CTYPE", "TZ"]) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env as NodeJS.ProcessEnv;
}

async function initialise(dataDir: string, password: string, user: { uid: number; gid: number } | undefined): Promise<void> {
  const { initdb } = await binaries();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file: a private one, in a private directory, removed at once.
  const secretDir = await mkdtemp(path.join(tmpdir(), "pulse-initdb-"));
  const pwfile = path.join(secretDir, "pw");
  try {
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) {
      chownSync(dataDir, user.uid, user.gid);
      chownSync(secretDir, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        initdb,
        [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"],
        { ...user, env: postgresEnv(), stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.join("").trim().split("\n").slice(-5).join(" | ")}`);
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The postmaster recorded in postmaster.pid, if it is still running (and is a postgres). */
function runningPostmaster(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  // A pid from an old file may since belong to something else; never signal that.
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres")) return null;
  } catch {
    // no /proc (not Linux): trust the pid file as postgres itself does
  }
  return pid;
}

async function waitForExit(pid: number, deadlineMs: number): Promise<boolean> {
  for (let waited = 0; waited < deadlineMs; waited += 50) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * A postgres whose server is gone (killed hard, and its watchdog with it). Only called while
 * holding the data directory's lock, so it cannot belong to a live server.
 */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pid = runningPostmaster(dataDir);
  if (pid === null) return;
  log.warn("stopping a leftover embedded postgres whose server is gone", { pid });
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, STOP_DEADLINE_MS))) throw new Error(`a leftover postgres (pid ${pid}) holds ${dataDir} and did not stop`);
}

/**
 * Runs postgres under a tiny shell watchdog, both in a session of their own so a terminal's
 * Ctrl-C (sent to the whole foreground process group) reaches only the server, which then
 * stops postgres last. The watchdog reads the server's end of a pipe: when it closes — the
 * server asking for a stop, or the server dying, even by SIGKILL — it asks postgres for a fast
 * shutdown. Its exit status is postgres's.
 */
const WATCHDOG = [
  "exec 3<&0",
  '"$@" </dev/null 3<&- &',
  "pg=$!",
  '( cat <&3 >/dev/null; kill -INT "$pg" 2>/dev/null ) </dev/null >/dev/null 2>&1 &',
  "reader=$!",
  "exec 3<&-",
  'wait "$pg"',
  "status=$?",
  'kill "$reader" 2>/dev/null',
  'exit "$status"',
].join("\n");

async function startPostgres(
  dataDir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
  remember: (line: string) => void,
): Promise<ChildProcess> {
  const { postgres } = await binaries();
  const child = spawn(
    "/bin/sh",
    [
      "-c",
      WATCHDOG,
      "pulse-postgres-watchdog",
      postgres,
      "-D",
      dataDir,
      "-p",
      String(port),
      // Only TCP on loopback: no unix socket to collide with another cluster's, nothing on the network.
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "lc_messages=C",
    ],
    { ...user, env: postgresEnv(), detached: true, stdio: ["pipe", "pipe", "pipe"] },
  );
  // The pipe is how the watchdog knows the server lives; a broken one must not crash the server.
  child.stdin!.on("error", () => {});
  const lines = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean);
  child.stdout!.on("data", (chunk: Buffer) => lines(chunk).forEach(remember));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres was not ready within ${START_DEADLINE_MS / 1000} s`)), START_DEADLINE_MS);
    const onData = (chunk: Buffer) => {
      for (const line of lines(chunk)) {
        remember(line);
        if (line.includes("database system is ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${code})`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // Keep reading after start: a full pipe would block postgres's logging.
  return child;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Connects as the superuser with the stored password. A data directory from before passwords
 * were generated still has the old built-in one: connect with that once and replace it (and the
 * cleartext `password` method in pg_hba.conf with SCRAM).
 */
async function connectAsSuperuser(dataDir: string, port: number, credentials: EmbeddedCredentials): Promise<pg.Client> {
  const url = (password: string) => `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    const client = await connect(url(credentials.superuser.password));
    // Set even when it matched: after a recovery through a temporary `trust` line it may not have.
    await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(credentials.superuser.password)}`);
    return client;
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
  }
  const client = await connect(url(LEGACY_PASSWORD)).catch((error: unknown) => {
    throw new Error(
      `cannot sign in to the embedded PostgreSQL with the password in ${path.join(path.dirname(dataDir), CREDENTIALS_FILE)} ` +
        `(${error instanceof Error ? error.message : String(error)}). Restore that file from a backup; or, to set new passwords, ` +
        `change scram-sha-256 to trust in ${path.join(dataDir, "pg_hba.conf")}, start once, and change it back`,
    );
  });
  await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${client.escapeLiteral(credentials.superuser.password)}`);
  const hbaFile = path.join(dataDir, "pg_hba.conf");
  const hba = readFileSync(hbaFile, "utf8");
  const upgraded = hba.replace(/^(\s*(?:local|host)\S*\s.*\s)password(\s*)$/gm, "$1scram-sha-256$2");
  if (upgraded !== hba) {
    writeFileSync(hbaFile, upgraded);
    await client.query("SELECT pg_reload_conf()");
  }
  log.warn("replaced the built-in superuser password of an older data directory with a generated one", { dataDir });
  return client;
}

/**
 * The application's role and database: the role may log in and owns its database (so migrations
 * can run as it) but is no superuser and cannot create roles or databases. Objects an older
 * version created as the superuser are handed over to it.
 */
async function provisionApplication(superuser: pg.Client, port: number, credentials: EmbeddedCredentials, database: string) {
  const role = pg.escapeIdentifier(APPLICATION_ROLE);
  const password = superuser.escapeLiteral(credentials.application.password);
  const exists = await superuser.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APPLICATION_ROLE]);
  if (exists.rowCount === 0) await superuser.query(`CREATE ROLE ${role}`);
  await superuser.query(
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${password}`,
  );
  const found = await superuser.query<{ owner: string }>(
    "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
    [database],
  );
  const name = pg.escapeIdentifier(database);
  if (found.rowCount === 0) {
    await superuser.query(`CREATE DATABASE ${name} OWNER ${role} ENCODING 'UTF8' TEMPLATE template0`).catch((error: { code?: string }) => {
      if (error.code !== "42P04") throw error;
    });
  } else if (found.rows[0]!.owner !== APPLICATION_ROLE) {
    await superuser.query(`ALTER DATABASE ${name} OWNER TO ${role}`);
    const inDatabase = await connect(
      `postgresql://${SUPERUSER}:${encodeURIComponent(credentials.superuser.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    );
    try {
      await inDatabase.query(handOverObjects(APPLICATION_ROLE));
    } finally {
      await inDatabase.end();
    }
    log.info("handed the application's tables over to its own role", { database, role: APPLICATION_ROLE });
  }
}

/** Gives every table, sequence and type in `public` to `role` (REASSIGN OWNED cannot start from the bootstrap superuser). */
function handOverObjects(role: string): string {
  const target = pg.escapeIdentifier(role);
  return `DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND pg_get_userbyid(c.relowner) <> '${role}'
  LOOP EXECUTE format('ALTER TABLE %s OWNER TO ${target}', item.name); END LOOP;
  -- sequences that belong to a column moved with their table above
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> '${role}'
  LOOP EXECUTE format('ALTER SEQUENCE %s OWNER TO ${target}', item.name); END LOOP;
  FOR item IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> '${role}'
  LOOP EXECUTE format('ALTER TYPE %s OWNER TO ${target}', item.name); END LOOP;
  FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${role}'
  LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO ${target}', item.name); END LOOP;
END $$`;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package's binaries, keeping its data in
 * `dataDir` across restarts, and provisions `database` for the application. The caller owns
 * shutdown (`stop()`), and should call it last: postgres does not see the terminal's Ctrl-C.
 * The data directory is locked for this process's life: a second process gets a
 * DataDirBusyError naming the first, and never touches its database.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; database?: string }): Promise<EmbeddedDatabase> {
  const dataDir = usableDataDir(options.dataDir);
  const database = options.database ?? "m2m_pulse";
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const lock: DataDirLock = await lockDataDir(dataDir);

  // Keep the last lines postgres printed: its own words are the best error message.
  const recent: string[] = [];
  const remember = (line: string) => {
    const text = line.trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log.debug(text);
  };

  const credentialsFile = path.join(path.dirname(dataDir), CREDENTIALS_FILE);
  let child: ChildProcess | undefined;
  let superuser: pg.Client | undefined;
  let started = false;
  try {
    const credentials = loadOrCreateCredentials(credentialsFile);
    const user = await postgresUser();
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      log.info("initialising a new cluster", { dataDir });
      await initialise(dataDir, credentials.superuser.password, user);
    } else {
      await stopLeftoverServer(dataDir);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        child = await startPostgres(dataDir, options.port, user, remember);
        break;
      } catch (error) {
        // The port may be some outgoing connection's for a moment (it lies in the ephemeral range).
        const portTaken = recent.some((line) => line.includes("could not create any TCP/IP sockets"));
        if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
        log.warn("the embedded PostgreSQL's port is taken; trying again", { port: options.port, attempt });
        recent.length = 0;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    started = true;
    superuser = await connectAsSuperuser(dataDir, options.port, credentials);
    await provisionApplication(superuser, options.port, credentials, database);
    await superuser.end();

    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    const running = child;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        if (running.exitCode === null && running.signalCode === null) {
          running.stdin!.end(); // the watchdog's cue for a fast shutdown
          const stopped = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), STOP_DEADLINE_MS))]);
          if (!stopped) {
            const pid = runningPostmaster(dataDir);
            log.error("postgres did not stop in time; forcing an immediate shutdown", { pid });
            if (pid !== null) process.kill(pid, "SIGQUIT");
            await exited;
          }
        }
        await lock.release();
      })());
    running.once("exit", (code, signal) => {
      if (!stopping) log.error("embedded postgres exited unexpectedly", { code, signal, last: recent.slice(-3).join(" | ") });
    });
    const password = encodeURIComponent(credentials.application.password);
    return {
      url: `postgresql://${APPLICATION_ROLE}:${password}@127.0.0.1:${options.port}/${database}`,
      superuserUrl: `postgresql://${SUPERUSER}:${encodeURIComponent(credentials.superuser.password)}@127.0.0.1:${options.port}/postgres`,
      dataDir,
      credentialsFile,
      stop,
    };
  } catch (error) {
    await superuser?.end().catch(() => {});
    if (child && child.exitCode === null) {
      child.stdin!.end();
      await new Promise((resolve) => child!.once("exit", resolve));
    }
    await lock.release();
    const detail = error instanceof Error ? error.message : String(error);
    if (started) throw new Error(`embedded PostgreSQL (data ${dataDir}) could not be prepared: ${detail}`);
    throw new Error(
      `embedded PostgreSQL did not start (data ${dataDir}, port ${options.port}): ${detail}${recent.length ? ` — postgres said: ${recent.slice(-3).join(" | ")}` : ""}. ` +
        "Set EMBEDDED_PG_PORT to a free port, PULSE_DATA_DIR to a writable directory, or DATABASE_URL to use your own PostgreSQL.",
    );
  }
}
