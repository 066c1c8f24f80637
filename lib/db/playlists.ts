import "server-only";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { Playlist, PlaylistInput, PlaylistUpdate, PlaylistView } from "@/lib/contracts/playlists";
import { db } from "./client";
import { Prisma } from "./generated/prisma/client";
import type { PlaylistView as PlaylistViewRow } from "./generated/prisma/client";

const include = { views: { orderBy: { position: "asc" as const } } };

function toView(row: PlaylistViewRow): PlaylistView {
  return {
    title: row.title,
    // Written only through the validated contract.
    operators: row.operators as OperatorSlug[],
    sectors: row.sectors as SectorSlug[],
    window: row.timeWindow as PlaylistView["window"],
    dwellSeconds: row.dwellSeconds,
  };
}

function toPlaylist(row: { slug: string; name: string; updatedAt: Date; views: PlaylistViewRow[] }): Playlist {
  return { slug: row.slug, name: row.name, views: row.views.map(toView), updatedAt: row.updatedAt.toISOString() };
}

const viewRows = (views: PlaylistView[]) =>
  views.map((view, position) => ({
    position,
    title: view.title,
    operators: view.operators,
    sectors: view.sectors,
    timeWindow: view.window,
    dwellSeconds: view.dwellSeconds,
  }));

export async function listPlaylists(): Promise<Playlist[]> {
  const rows = await db().playlist.findMany({ include, orderBy: { name: "asc" } });
  return rows.map(toPlaylist);
}

export async function findPlaylist(slug: string): Promise<Playlist | null> {
  const row = await db().playlist.findUnique({ where: { slug }, include });
  return row ? toPlaylist(row) : null;
}

export class PlaylistExistsError extends Error {
  constructor(slug: string) {
    super(`a playlist '${slug}' exists already`);
    this.name = "PlaylistExistsError";
  }
}

export async function createPlaylist(input: PlaylistInput): Promise<Playlist> {
  try {
    const row = await db().playlist.create({
      data: { slug: input.slug, name: input.name, views: { create: viewRows(input.views) } },
      include,
    });
    return toPlaylist(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new PlaylistExistsError(input.slug);
    throw error;
  }
}

/** Replaces the name and the ordered views in one transaction; null when there is no such playlist. */
export async function updatePlaylist(slug: string, update: PlaylistUpdate): Promise<Playlist | null> {
  return db().$transaction(async (tx) => {
    const existing = await tx.playlist.findUnique({ where: { slug } });
    if (!existing) return null;
    await tx.playlistView.deleteMany({ where: { playlistId: existing.id } });
    const row = await tx.playlist.update({
      where: { slug },
      data: { name: update.name, updatedAt: new Date(), views: { create: viewRows(update.views) } },
      include,
    });
    return toPlaylist(row);
  });
}

export async function deletePlaylist(slug: string): Promise<boolean> {
  const { count } = await db().playlist.deleteMany({ where: { slug } });
  return count > 0;
}

/** The rotation a fresh install offers at /wall/overview: everything, then each operator and the two big sectors. */
export const DEFAULT_PLAYLIST: PlaylistInput = {
  slug: "overview",
  name: "Operations overview",
  views: [
    { title: "All operators", operators: [], sectors: [], window: "15m", dwellSeconds: 30 },
    { title: "China Mobile", operators: ["china-mobile"], sectors: [], window: "15m", dwellSeconds: 20 },
    { title: "China Unicom", operators: ["china-unicom"], sectors: [], window: "15m", dwellSeconds: 20 },
    { title: "China Telecom", operators: ["china-telecom"], sectors: [], window: "15m", dwellSeconds: 20 },
    { title: "Energy", operators: [], sectors: ["energy"], window: "1h", dwellSeconds: 20 },
    { title: "Transport", operators: [], sectors: ["transport"], window: "1h", dwellSeconds: 20 },
  ],
};

/** Creates the default playlist when there is none at all (a user who deleted it keeps it deleted only while others exist). */
export async function ensureDefaultPlaylist(): Promise<boolean> {
  if ((await db().playlist.count()) > 0) return false;
  try {
    await createPlaylist(DEFAULT_PLAYLIST);
    return true;
  } catch (error) {
    if (error instanceof PlaylistExistsError) return false; // another process made it first
    throw error;
  }
}
