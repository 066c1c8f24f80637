import "server-only";
import type { Display, Heartbeat } from "@/lib/contracts/displays";
import { db } from "./client";

/** A screen not heard from for this long is shown as silent. Heartbeats come every 30 s. */
export const SILENT_AFTER_MS = 90_000;

export class DisplayClaimedError extends Error {
  constructor(displayId: string) {
    super(`display '${displayId}' is registered under another display token`);
    this.name = "DisplayClaimedError";
  }
}

/**
 * Stores a screen's heartbeat. A display id seen under a display token stays bound to it: another
 * token (or a signed-in browser) cannot take it over or overwrite its record.
 */
export async function recordHeartbeat(heartbeat: Heartbeat, context: { userAgent: string | null; tokenId: number | null }): Promise<void> {
  const existing = await db().display.findUnique({ where: { id: heartbeat.displayId }, select: { tokenId: true } });
  if (existing && existing.tokenId !== null && existing.tokenId !== context.tokenId) throw new DisplayClaimedError(heartbeat.displayId);
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
