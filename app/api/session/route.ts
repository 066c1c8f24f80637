import { z } from "zod";
import { audit, currentAccount, requestOrigin } from "@/lib/auth/actor";
import { verifyAgainstNothing, verifyPassword } from "@/lib/auth/password";
import { clearSessionCookie, startSession } from "@/lib/auth/sign-in";
import { signInThrottle } from "@/lib/auth/throttle";
import { signInSchema, type SessionState } from "@/lib/contracts/accounts";
import { findAccountByName } from "@/lib/db/accounts";
import { recordAudit } from "@/lib/db/audit";
import { deleteSession } from "@/lib/db/sessions";
import { getEnv } from "@/lib/env";
import { HttpError, handle, parseJsonBody, parseQuery, respond, respondError, respondNoContent } from "@/lib/http/respond";
import { createLogger } from "@/lib/logger";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

const log = createLogger("access");

/** Who is signed in (null when nobody), and whether viewing needs it. */
export const GET = handle(async (request) => {
  parseQuery(request, z.object({}));
  const actor = await currentAccount(request);
  return respond<SessionState>({
    account: actor ? { username: actor.username, role: actor.role, mustChangePassword: actor.mustChangePassword } : null,
    authRequired: getEnv().PULSE_AUTH === "on",
  });
});

/**
 * Signs in with a user name and password; sets a 12-hour session cookie. Failures are logged
 * (name and address, never the password) and throttled per name and per address: 429 with
 * Retry-After while a delay runs, and the password is not checked then.
 */
export const POST = handle(async (request) => {
  const { username, password } = await parseJsonBody(request, signInSchema);
  const origin = requestOrigin(request);
  const address = origin.address ?? "unknown";
  const throttle = signInThrottle();
  const verdict = await throttle.check(username, address);
  if (!verdict.allowed) {
    const now = Date.now();
    const heldBack = throttle.refusalLog.roll(now);
    if (heldBack) log.warn("sign-in refusals not logged one by one in the last minute", heldBack);
    if (throttle.refusalLog.admit("throttled", address, now)) log.warn("sign-in refused while throttled", { username, address, retryAfterSeconds: verdict.retryAfterSeconds });
    const response = respondError("rate_limited", `too many failed sign-ins; try again in ${verdict.retryAfterSeconds} s`);
    response.headers.set("retry-after", String(verdict.retryAfterSeconds));
    return response;
  }
  const account = await findAccountByName(username);
  const matches = account ? await verifyPassword(account.passwordHash, password) : await verifyAgainstNothing(password);
  if (!account || !matches) {
    const delaySeconds = await throttle.fail(username, address);
    log.warn("sign-in failed", { username, address, known: Boolean(account), delaySeconds });
    await recordAudit({ accountId: account?.id ?? null, username, action: "session.sign-in-failed", target: null, address: origin.address });
    throw new HttpError("unauthorized", "wrong user name or password");
  }
  await throttle.succeed(username, address);
  const cookie = await startSession(account.id, origin);
  await recordAudit({ accountId: account.id, username: account.username, action: "session.sign-in", target: null, address: origin.address });
  log.info("signed in", { username: account.username, address });
  return respond<SessionState>(
    { account: { username: account.username, role: account.role, mustChangePassword: account.mustChangePassword }, authRequired: getEnv().PULSE_AUTH === "on" },
    { headers: { "set-cookie": cookie } },
  );
});

/** Signs out: the session ends in the database and its open sockets are closed at once. */
export const DELETE = handle(async (request) => {
  const actor = await currentAccount(request);
  if (actor) {
    await deleteSession(actor.key);
    await getRealtime()?.sockets.closeSessions([actor.key]);
    await audit(actor, "session.sign-out", null);
  }
  return respondNoContent({ headers: { "set-cookie": clearSessionCookie(requestOrigin(request).tls) } });
});
