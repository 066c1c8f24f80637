import "server-only";
import type { Role } from "@/lib/contracts/accounts";
import { db } from "./client";

export interface SessionAccount {
  /** The session's stored key (SHA-256 of the cookie's id). */
  key: string;
  accountId: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

export async function createSession(input: { key: string; accountId: number; expiresAt: Date; createdFrom: string | null }): Promise<void> {
  await db().session.create({ data: { idHash: input.key, accountId: input.accountId, expiresAt: input.expiresAt, createdFrom: input.createdFrom?.slice(0, 100) ?? null } });
}

/** The account behind a live session; null when the session is unknown or expired. Looked up on every request, so an ended session stops working at once. */
export async function findSession(key: string, now = new Date()): Promise<SessionAccount | null> {
  const row = await db().session.findUnique({ where: { idHash: key }, include: { account: true } });
  if (!row || row.expiresAt <= now) return null;
  return { key: row.idHash, accountId: row.accountId, username: row.account.username, role: row.account.role, mustChangePassword: row.account.mustChangePassword };
}

export async function deleteSession(key: string): Promise<boolean> {
  const { count } = await db().session.deleteMany({ where: { idHash: key } });
  return count > 0;
}

/** Forgets expired sessions, so the table does not grow forever. */
export async function pruneSessions(now = new Date()): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
