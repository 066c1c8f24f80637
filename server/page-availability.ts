import type { ServerResponse } from "node:http";
import { pingDatabase } from "@/lib/db/health";

/** How long a database check answers for every page request (at most one ping per interval). */
const CHECK_INTERVAL_MS = 1_000;

/** Pages render from the database; static files and the API (which answers 503 itself) do not pass here. */
export function isPagePath(pathname: string): boolean {
  return !pathname.startsWith("/api/") && !pathname.startsWith("/_next/") && !/\.[a-z0-9]+$/i.test(pathname);
}

/**
 * Next.js answers a page whose server components cannot reach the database with its 500 error
 * page. Before a page is rendered, this checks (at most once a second) that the database answers,
 * and otherwise answers 503 with a page that retries by itself, so that a wall screen reloading
 * during an outage comes back on its own.
 */
export function createPageAvailability(ping: () => Promise<{ status: "up" | "down" }> = pingDatabase) {
  let checkedAt = 0;
  let pending: Promise<boolean> | undefined;
  let up = true;

  async function databaseUp(): Promise<boolean> {
    if (Date.now() - checkedAt < CHECK_INTERVAL_MS) return up;
    pending ??= ping()
      .then((result) => result.status === "up")
      .catch(() => false)
      .then((result) => {
        up = result;
        checkedAt = Date.now();
        pending = undefined;
        return result;
      });
    return pending;
  }

  return {
    /** True when it answered the request itself (503). */
    async refuseWhileDown(pathname: string, response: ServerResponse): Promise<boolean> {
      if (!isPagePath(pathname) || (await databaseUp())) return false;
      response
        .writeHead(503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "10" })
        .end(
          `<!doctype html><html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>M2M Pulse: database unavailable</title>` +
            `<body style="background:#0b1220;color:#e6edf7;font:2rem system-ui;display:grid;place-items:center;height:100vh;margin:0">` +
            `<main data-unavailable><p>M2M Pulse cannot reach its database; retrying every 10 seconds.</p><p lang="zh-CN">无法连接数据库，每 10 秒重试。</p></main>`,
        );
      return true;
    },
  };
}
export type PageAvailability = ReturnType<typeof createPageAvailability>;
