import { audit, requireAccount } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { updateAccountSchema } from "@/lib/contracts/accounts";
import { databaseIdSchema } from "@/lib/contracts/api";
import { LastAdminError, deleteAccount, updateAccount } from "@/lib/db/accounts";
import { recordAudit } from "@/lib/db/audit";
import { HttpError, handle, parseJsonBody, parseParam, respond } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };
const idOf = async (context: Context) =>
  parseParam("account", (await context.params).id, databaseIdSchema);

/** Changes an account's role and/or password; a new password ends its sessions and closes their sockets. */
export const PATCH = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "admin");
  const id = await idOf(context);
  const change = await parseJsonBody(request, updateAccountSchema);
  try {
    const updated = await updateAccount(id, { role: change.role, passwordHash: change.password === undefined ? undefined : await hashPassword(change.password) });
    if (!updated) throw new HttpError("not_found", `no account ${id}`);
    const disconnected = (await getRealtime()?.sockets.closeSessions(updated.endedSessions)) ?? 0;
    await audit(actor, "account.update", updated.account.username, { role: change.role ?? null, passwordChanged: change.password !== undefined, endedSessions: updated.endedSessions.length });
    return respond({ account: updated.account, endedSessions: updated.endedSessions.length, disconnected });
  } catch (error) {
    if (error instanceof LastAdminError) throw new HttpError("conflict", error.message);
    throw error;
  }
});

/** Removes an account: its sessions end and their sockets are closed at once. */
export const DELETE = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "admin");
  const id = await idOf(context);
  try {
    const removed = await deleteAccount(id);
    if (!removed) throw new HttpError("not_found", `no account ${id}`);
    const disconnected = (await getRealtime()?.sockets.closeSessions(removed.endedSessions)) ?? 0;
    // An admin may remove their own account (not the last admin's); the entry then names them without a link.
    const self = removed.account.id === actor.accountId;
    await recordAudit({ accountId: self ? null : actor.accountId, username: actor.username, action: "account.delete", target: removed.account.username, address: actor.address, detail: { endedSessions: removed.endedSessions.length } });
    return respond({ account: removed.account, endedSessions: removed.endedSessions.length, disconnected });
  } catch (error) {
    if (error instanceof LastAdminError) throw new HttpError("conflict", error.message);
    throw error;
  }
});
