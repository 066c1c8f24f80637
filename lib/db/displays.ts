import "server-only";
import type { Display, Heartbeat } from "@/lib/contracts/displays";
import { db } from "./client";

/** A screen not heard from for this long is shown as silent. Heartbeats come every 30 s. */
export const SILENT_AFTER_MS = 90_000;

export class DisplayClaimedError extends Error {
  constructor(displayId: string, holder: "token" | "browser") {
    super(
      holder === "token"
        ? `display '${displayId}' is registered under another display token`
        : `display '${displayId}' is a signed-in browser's screen, heard from in the last ${SILENT_AFTER_MS / 1000} s`,
    );
    this.name = "DisplayClaimedError";
  }
}

/**
 * Stores a screen's heartbeat. A display id seen under a display token stays bound to it: another
 * token (or a signed-in browser) cannot take it over or overwrite its record. A signed-in browser's
 * screen is not free for a token while it is alive: otherwise a stolen token could take over any
 * screen id it had seen and hide that screen from the fleet. Once it has gone silent, a token may
 * take the id (the same screen moved to a display token keeps its id).
 */
export async function recordHeartbeat(heartbeat: Heartbeat, context: { userAgent: string | null; tokenId: number | null }): Promise<void> {
  const existing = await db().display.findUnique({ where: { id: heartbeat.displayId }, select: { tokenId: true, lastSeenAt: true } });
  if (existing && existing.tokenId !== context.tokenId) {
    if (existing.tokenId !== null) throw new DisplayClaimedError(heartbeat.displayId, "token");
    const silent = Date.now() - existing.lastSeenAt.getTime() > SILENT_AFTER_MS;
    if (!silent) throw new DisplayClaimedError(heartbeat.displayId, "browser");
  }
  const fields = {
    playlistSlug: heartbeat.playlist,
    viewTitle: heartbeat.viewTitle,
    viewIndex: heartbeat.viewIndex,
    buildId: heartbeat.buildId,
    jsHeapBytes: heartbeat.jsHeapBytes,
    fps: heartbeat.fps,
    userAgent: context.userAgent?.slice(0, 300) ?? null,
    tokenId: context.tokenId,
    lastSeenAt: new Date(),
  };
  await db().display.upsert({ where: { id: heartbeat.displayId }, create: { id: heartbeat.displayId, ...fields }, update: fields });
}

/** Every screen heard from, most recent first, with its health judged against `nowMs` and the running build. */
export async function listDisplays(context: { nowMs: number; buildId: string; connected: ReadonlySet<string> }): Promise<Display[]> {
  const rows = await db().display.findMany({ orderBy: { lastSeenAt: "desc" }, take: 500 });
  return rows.map((row) => ({
    id: row.id,
    playlist: row.playlistSlug,
    viewTitle: row.viewTitle,
    viewIndex: row.viewIndex,
    buildId: row.buildId,
    jsHeapBytes: row.jsHeapBytes,
    fps: row.fps,
    userAgent: row.userAgent,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    health: context.nowMs - row.lastSeenAt.getTime() <= SILENT_AFTER_MS ? "ok" : "silent",
    currentBuild: row.buildId === context.buildId,
    connected: context.connected.has(row.id),
  }));
}

/** Forgets screens silent for longer than `beforeMs` (decommissioned ones), so the list does not grow forever. */
export async function pruneDisplays(beforeMs: number): Promise<number> {
  const { count } = await db().display.deleteMany({ where: { lastSeenAt: { lt: new Date(beforeMs) } } });
  return count;
}
