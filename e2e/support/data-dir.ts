import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where a spec's own server keeps its embedded PostgreSQL: a fresh path in the system's temporary
 * directory, created by the spec (mode 0755). Not under the checkout's `.data/`: once `npm start` has
 * run there, `.data/` is 0700 (it holds the first admin's password), and when tests run as root the
 * embedded cluster runs as the postgres user, who could not reach a directory below it; the server
 * would then fall back to another directory than the one the spec inspects.
 */
export function specDataDir(purpose: string): string {
  return path.join(tmpdir(), `pulse-e2e-${purpose}-${randomBytes(4).toString("hex")}`);
}
