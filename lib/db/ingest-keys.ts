import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { OperatorSlug } from "@/lib/contracts/catalog";
import type { IngestKey } from "@/lib/contracts/ingest";
import { db } from "./client";

/**
 * Ingest keys: what a feed writes measured samples with. The secret is 32 random bytes behind a
 * recognisable prefix (so a leaked key is easy to spot in a log or a repository); only its SHA-256
 * is stored, so a database dump opens no write path. A high-entropy key needs no slow hash.
 */
export const INGEST_KEY_PREFIX = "pulse_ik_";

export function hashIngestSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

type Row = { id: number; label: string; operators: string[]; createdBy: string | null; createdAt: Date; revokedAt: Date | null; lastUsedAt: Date | null };

function toKey(row: Row): IngestKey {
  return {
    id: row.id,
    label: row.label,
    operators: row.operators as OperatorSlug[],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** A new key with its secret (shown once, never stored). */
export async function createIngestKey(input: { label: string; operators: readonly OperatorSlug[]; createdBy: string | null }): Promise<{ key: IngestKey; secret: string }> {
  const secret = `${INGEST_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db().ingestKey.create({
    data: { label: input.label, operators: [...new Set(input.operators)], createdBy: input.createdBy, keyHash: hashIngestSecret(secret) },
  });
  return { key: toKey(row), secret };
}

/** Newest first, revoked ones too (they say when). */
export async function listIngestKeys(): Promise<IngestKey[]> {
  const rows = await db().ingestKey.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return rows.map(toKey);
}

/** Revokes a key (idempotent); null when there is no such key. */
export async function revokeIngestKey(id: number): Promise<IngestKey | null> {
  const existing = await db().ingestKey.findUnique({ where: { id } });
  if (!existing) return null;
  if (existing.revokedAt) return toKey(existing);
  return toKey(await db().ingestKey.update({ where: { id }, data: { revokedAt: new Date() } }));
}

export interface ActiveIngestKey {
  id: number;
  label: string;
  /** Empty: every operator. */
  operators: OperatorSlug[];
}

/**
 * The key a secret stands for, if it exists and is not revoked. Looked up on every request, no
 * cache: a revoked key is refused from the next request on.
 */
export async function findActiveIngestKey(secret: string): Promise<ActiveIngestKey | null> {
  const row = await db().ingestKey.findUnique({ where: { keyHash: hashIngestSecret(secret) } });
  if (!row || row.revokedAt) return null;
  return { id: row.id, label: row.label, operators: row.operators as OperatorSlug[] };
}

/** Notes that a key was used; at most one write a minute per key, however busy the feed. */
export async function touchIngestKey(id: number): Promise<void> {
  await db().$executeRaw`
    UPDATE ingest_key SET last_used_at = now()
     WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;
}
