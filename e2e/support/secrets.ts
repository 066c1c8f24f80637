import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * Issue 13: no secret may appear in a log line. Every server an e2e run starts writes its output
 * to E2E_LOG_DIR (set by global-setup), and every secret the run uses (passwords, session cookies,
 * display tokens, METRICS_TOKEN) is recorded here; the global teardown then reads every log for
 * every recorded secret (findLeaks). Outside an e2e run (benchmarks, scripts) nothing is recorded.
 */
const SECRETS_FILE = "secrets.txt";

export function logDir(): string | undefined {
  return process.env.E2E_LOG_DIR || undefined;
}

/** Remembers a secret this run used, so that the teardown can look for it in the servers' logs. */
export function recordSecret(value: string | undefined | null): void {
  const dir = logDir();
  // Short values ("1", "on") would match by chance; every secret the run uses is longer.
  if (!dir || !value || value.length < 8) return;
  appendFileSync(path.join(dir, SECRETS_FILE), `${value}\n`, { mode: 0o600 });
}

/** A `cookie` header's or Set-Cookie's pulse_session / pulse_display value, recorded. */
export function recordCookieSecret(cookie: string | null | undefined): void {
  for (const match of (cookie ?? "").matchAll(/pulse_(?:session|display)=([^;\s]+)/g)) recordSecret(match[1]);
}

export interface LeakReport {
  secrets: number;
  logs: number;
  logBytes: number;
  leaks: string[];
}

/**
 * Every recorded secret found in a server log, by log file and line (the secret itself is masked
 * in the report, which a CI log would otherwise carry). Also catches session ids nobody recorded
 * (a browser's own sign-in): any 43-character base64url word, which is what a session id is.
 */
export function findLeaks(dir: string): LeakReport {
  let secrets: string[] = [];
  try {
    secrets = [...new Set(readFileSync(path.join(dir, SECRETS_FILE), "utf8").split("\n").filter(Boolean))];
  } catch {
    // nothing recorded
  }
  const logs = readdirSync(dir).filter((name) => name.endsWith(".log"));
  const leaks: string[] = [];
  let logBytes = 0;
  const sessionShaped = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;
  for (const name of logs) {
    const text = readFileSync(path.join(dir, name), "utf8");
    logBytes += text.length;
    text.split("\n").forEach((line, index) => {
      const where = `${name}:${index + 1}`;
      for (const secret of secrets) if (line.includes(secret)) leaks.push(`${where}: a recorded secret (${secret.slice(0, 3)}…, ${secret.length} characters)`);
      const shaped = sessionShaped.exec(line);
      if (shaped) leaks.push(`${where}: a session-id-shaped word (${shaped[0].slice(0, 3)}…)`);
    });
  }
  return { secrets: secrets.length, logs: logs.length, logBytes, leaks };
}
