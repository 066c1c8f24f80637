import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/contracts/accounts";
import { hashPassword } from "@/lib/auth/password";
import { startSession } from "@/lib/auth/sign-in";
import { createAccount } from "@/lib/db/accounts";

export interface TestAccount {
  id: number;
  username: string;
  password: string;
  /** `pulse_session=…`, ready for a `cookie` header. */
  cookie: string;
}

/**
 * An account of `role` with a signed-in session, written straight to the installed test database:
 * for tests that call route handlers directly or start the stream server without Next.js.
 * (Tests against the real server sign in over HTTP with e2e/support/sign-in.ts.)
 */
export async function signedInAccount(role: Role = "operator", username = `${role}-${randomBytes(4).toString("hex")}`): Promise<TestAccount> {
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const account = await createAccount({ username, role, passwordHash: await hashPassword(password) });
  const setCookie = await startSession(account.id, { address: "127.0.0.1", tls: false });
  return { id: account.id, username, password, cookie: setCookie.split(";")[0]! };
}
