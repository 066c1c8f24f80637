import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findActiveIngestKey } from "@/lib/db/ingest-keys";
import { openMigratedDatabase } from "../support/database";

let url = "";
let close: () => Promise<void>;
beforeAll(async () => ({ url, close } = await openMigratedDatabase()));
afterAll(async () => close());

async function task(...args: string[]) {
  // One process (tsx as a loader), as npm run ingest-key runs it.
  const child = spawn(process.execPath, ["--import", "tsx", "server/tasks.ts", "ingest-key", ...args], { env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json", DATABASE_URL: url, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, "exit");
  return { code: code as number, stdout, stderr };
}

describe("npm run ingest-key", () => {
  it("creates a key printed once on stdout, lists it without the secret, and revokes it", { timeout: 60_000 }, async () => {
    const created = await task("create", "first", "feed", "--operators", "china-mobile");
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^pulse_ik_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain("'first feed' (china-mobile)");
    const key = await findActiveIngestKey(secret);
    expect(key).toMatchObject({ label: "first feed", operators: ["china-mobile"] });

    const listed = await task("list");
    expect(listed.stdout).toContain(`${key!.id}\tfirst feed\tchina-mobile\tactive`);
    expect(listed.stdout).not.toContain(secret);

    expect((await task("revoke", String(key!.id))).code).toBe(0);
    expect(await findActiveIngestKey(secret)).toBeNull();
  });

  it("says how to use it when the arguments are wrong", { timeout: 60_000 }, async () => {
    const wrong = await task("create", "--operators", "acme");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("usage: npm run ingest-key -- create <label>");
  });
});
