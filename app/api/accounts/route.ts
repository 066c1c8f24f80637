import { z } from "zod";
import { audit, requireAccount } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { createAccountSchema } from "@/lib/contracts/accounts";
import { AccountExistsError, createAccount, listAccounts } from "@/lib/db/accounts";
import { HttpError, handle, parseJsonBody, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  await requireAccount(request, "admin");
  parseQuery(request, z.object({}));
  return respond({ accounts: await listAccounts() });
});

/** A new account with the password the admin gives it (to hand over; the person changes it at /account). */
export const POST = handle(async (request) => {
  const actor = await requireAccount(request, "admin");
  const input = await parseJsonBody(request, createAccountSchema);
  try {
    const account = await createAccount({ username: input.username, role: input.role, passwordHash: await hashPassword(input.password) });
    await audit(actor, "account.create", account.username, { role: account.role });
    return respond({ account }, { status: 201 });
  } catch (error) {
    if (error instanceof AccountExistsError) throw new HttpError("conflict", error.message);
    throw error;
  }
});
