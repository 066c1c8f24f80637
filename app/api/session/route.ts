import { z } from "zod";
import { sessionSecret } from "@/lib/auth/secret";
import { SESSION_COOKIE, SESSION_TTL_MS, cookieHeader, createSessionValue, passwordMatches } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { HttpError, handle, parseJsonBody } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const signInSchema = z.object({ password: z.string().min(1, "expected a password").max(200) }).strict();

/** Signs in with the operators' password (PULSE_ADMIN_PASSWORD); sets a 12-hour session cookie. */
export const POST = handle(async (request) => {
  const { password } = await parseJsonBody(request, signInSchema);
  const env = getEnv();
  if (env.PULSE_AUTH !== "on" || !env.PULSE_ADMIN_PASSWORD) throw new HttpError("not_found", "sign-in is switched off (PULSE_AUTH=off)");
  if (!passwordMatches(password, env.PULSE_ADMIN_PASSWORD)) throw new HttpError("unauthorized", "wrong password");
  return new Response(JSON.stringify({ signedIn: true }), {
    status: 200,
    headers: {
      "content-type": "application/json",
      "set-cookie": cookieHeader(SESSION_COOKIE, createSessionValue(Date.now(), sessionSecret()), SESSION_TTL_MS / 1000),
    },
  });
});

export const DELETE = handle(async () => new Response(null, { status: 204, headers: { "set-cookie": cookieHeader(SESSION_COOKIE, "", 0) } }));
