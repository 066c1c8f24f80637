import { audit, requireAccount } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { startSession } from "@/lib/auth/sign-in";
import { signInThrottle } from "@/lib/auth/throttle";
import { changeOwnPasswordSchema } from "@/lib/contracts/accounts";
import { findAccountById, updateAccount } from "@/lib/db/accounts";
import { HttpError, handle, parseJsonBody, respond, respondError } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

/**
 * Everyone changes their own password (the current one is asked again: a borrowed, unlocked
 * browser must not be enough). Every session of the account ends, this one is replaced by a new one.
 */
export const POST = handle(async (request) => {
  const actor = await requireAccount(request, "viewer");
  const { currentPassword, newPassword } = await parseJsonBody(request, changeOwnPasswordSchema);
  const throttle = signInThrottle();
  const address = actor.address ?? "unknown";
  const verdict = await throttle.check(actor.username, address);
  if (!verdict.allowed) {
    const response = respondError("rate_limited", `too many failed attempts; try again in ${verdict.retryAfterSeconds} s`);
    response.headers.set("retry-after", String(verdict.retryAfterSeconds));
    return response;
  }
  const account = await findAccountById(actor.accountId);
  if (!account || !(await verifyPassword(account.passwordHash, currentPassword))) {
    await throttle.fail(actor.username, address);
    throw new HttpError("forbidden", "the current password is wrong");
  }
  if (currentPassword === newPassword) throw new HttpError("bad_request", "newPassword: expected a password different from the current one");
  const updated = await updateAccount(actor.accountId, { passwordHash: await hashPassword(newPassword), mustChangePassword: false });
  if (!updated) throw new HttpError("not_found", "your account no longer exists");
  await getRealtime()?.sockets.closeSessions(updated.endedSessions);
  await audit(actor, "account.change-own-password", actor.username, { endedSessions: updated.endedSessions.length });
  const cookie = await startSession(actor.accountId, actor);
  return respond({ account: updated.account }, { headers: { "set-cookie": cookie } });
});
