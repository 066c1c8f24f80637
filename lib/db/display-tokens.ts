import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { DisplayToken } from "@/lib/contracts/playlists";
import { db } from "./client";

/** Only the SHA-256 of a token is stored: a database dump does not open any screen. */
export function hashDisplaySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function toToken(row: { id: number; label: string; createdAt: Date; revokedAt: Date | null; playlist: { slug: string } }): DisplayToken {
  return {
    id: row.id,
    playlist: row.playlist.slug,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A new token for `playlistSlug`, with its secret (shown once); null when there is no such playlist. */
export async function createDisplayToken(playlistSlug: string, label: string): Promise<{ token: DisplayToken; secret: string } | null> {
  const playlist = await db().playlist.findUnique({ where: { slug: playlistSlug } });
  if (!playlist) return null;
  const secret = randomBytes(24).toString("base64url");
  const row = await db().displayToken.create({
    data: { playlistId: playlist.id, label, tokenHash: hashDisplaySecret(secret) },
    include: { playlist: true },
  });
  return { token: toToken(row), secret };
}

export async function listDisplayTokens(playlistSlug: string): Promise<DisplayToken[]> {
  const rows = await db().displayToken.findMany({
    where: { playlist: { slug: playlistSlug } },
    include: { playlist: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toToken);
}

/** Revokes a token (idempotent); null when there is no such token. */
export async function revokeDisplayToken(id: number): Promise<DisplayToken | null> {
  const existing = await db().displayToken.findUnique({ where: { id }, include: { playlist: true } });
  if (!existing) return null;
  if (existing.revokedAt) return toToken(existing);
  const row = await db().displayToken.update({ where: { id }, data: { revokedAt: new Date() }, include: { playlist: true } });
  return toToken(row);
}

export interface ActiveDisplayToken {
  id: number;
  playlistSlug: string;
}

/** The token a secret stands for, if it exists and is not revoked. */
export async function findActiveDisplayToken(secret: string): Promise<ActiveDisplayToken | null> {
  const row = await db().displayToken.findUnique({ where: { tokenHash: hashDisplaySecret(secret) }, include: { playlist: true } });
  if (!row || row.revokedAt) return null;
  return { id: row.id, playlistSlug: row.playlist.slug };
}
