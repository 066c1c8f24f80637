import "server-only";
import type { Role } from "@/lib/contracts/accounts";
import type { Account } from "@/lib/contracts/accounts";
import { db } from "./client";
import { Prisma } from "./generated/prisma/client";

export interface AccountRow {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  mustChangePassword: boolean;
  createdAt: Date;
  passwordChangedAt: Date;
}

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt.toISOString(),
    passwordChangedAt: row.passwordChangedAt.toISOString(),
  };
}

export class AccountExistsError extends Error {
  constructor(username: string) {
    super(`an account '${username}' exists already`);
    this.name = "AccountExistsError";
  }
}

export class LastAdminError extends Error {
  constructor() {
    super("this is the last admin account; make another admin first");
    this.name = "LastAdminError";
  }
}

export async function listAccounts(): Promise<Account[]> {
  const rows = await db().account.findMany({ orderBy: { username: "asc" } });
  return rows.map(toAccount);
}

export async function findAccountByName(username: string): Promise<AccountRow | null> {
  return db().account.findUnique({ where: { username } });
}

export async function findAccountById(id: number): Promise<AccountRow | null> {
  return db().account.findUnique({ where: { id } });
}

export async function createAccount(input: { username: string; role: Role; passwordHash: string; mustChangePassword?: boolean }): Promise<Account> {
  try {
    const row = await db().account.create({ data: { ...input, mustChangePassword: input.mustChangePassword ?? false } });
    return toAccount(row);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AccountExistsError(input.username);
    throw error;
  }
}

export async function adminExists(): Promise<boolean> {
  return (await db().account.count({ where: { role: "admin" } })) > 0;
}

/**
 * Changes role and/or password. A new password ends every session of the account (the caller
 * closes their sockets). Refuses to demote the last admin. Null when there is no such account.
 */
export async function updateAccount(
  id: number,
  change: { role?: Role; passwordHash?: string; mustChangePassword?: boolean },
): Promise<{ account: Account; endedSessions: string[] } | null> {
  return db().$transaction(
    async (tx) => {
      const existing = await tx.account.findUnique({ where: { id } });
      if (!existing) return null;
      if (existing.role === "admin" && change.role !== undefined && change.role !== "admin") {
        if ((await tx.account.count({ where: { role: "admin" } })) <= 1) throw new LastAdminError();
      }
      const row = await tx.account.update({
        where: { id },
        data: {
          role: change.role,
          ...(change.passwordHash === undefined ? {} : { passwordHash: change.passwordHash, passwordChangedAt: new Date(), mustChangePassword: change.mustChangePassword ?? false }),
        },
      });
      let endedSessions: string[] = [];
      if (change.passwordHash !== undefined) {
        const sessions = await tx.session.findMany({ where: { accountId: id }, select: { idHash: true } });
        endedSessions = sessions.map((session) => session.idHash);
        await tx.session.deleteMany({ where: { accountId: id } });
      }
      return { account: toAccount(row), endedSessions };
    },
    { isolationLevel: "Serializable" },
  );
}

/** Removes an account and (by cascade) its sessions. Refuses to remove the last admin. */
export async function deleteAccount(id: number): Promise<{ account: Account; endedSessions: string[] } | null> {
  return db().$transaction(
    async (tx) => {
      const existing = await tx.account.findUnique({ where: { id } });
      if (!existing) return null;
      if (existing.role === "admin" && (await tx.account.count({ where: { role: "admin" } })) <= 1) throw new LastAdminError();
      const sessions = await tx.session.findMany({ where: { accountId: id }, select: { idHash: true } });
      await tx.account.delete({ where: { id } });
      return { account: toAccount(existing), endedSessions: sessions.map((session) => session.idHash) };
    },
    { isolationLevel: "Serializable" },
  );
}
