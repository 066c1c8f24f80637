import "server-only";
import type { AuditEvent } from "@/lib/contracts/accounts";
import { db } from "./client";
import type { Prisma } from "./generated/prisma/client";

export interface AuditEntry {
  /** Null for an anonymous attempt (a failed sign-in). */
  accountId: number | null;
  username: string | null;
  /** `entity.verb`: playlist.create, session.sign-in-failed, account.delete… */
  action: string;
  target?: string | null;
  address: string | null;
  detail?: Prisma.InputJsonValue;
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await db().auditEvent.create({
    data: {
      accountId: entry.accountId,
      username: entry.username?.slice(0, 60) ?? null,
      action: entry.action,
      target: entry.target?.slice(0, 200) ?? null,
      address: entry.address?.slice(0, 100) ?? null,
      detail: entry.detail,
    },
  });
}

/** Newest first; `before` pages back by id. */
export async function listAudit(query: { limit: number; before?: string; action?: string }): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
  const rows = await db().auditEvent.findMany({
    where: { ...(query.before ? { id: { lt: BigInt(query.before) } } : {}), ...(query.action ? { action: query.action } : {}) },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  const events = rows.map((row) => ({
    id: row.id.toString(),
    at: row.at.toISOString(),
    username: row.username,
    action: row.action,
    target: row.target,
    address: row.address,
    detail: row.detail ?? null,
  }));
  return { events, nextBefore: rows.length === query.limit ? (events[events.length - 1]?.id ?? null) : null };
}
