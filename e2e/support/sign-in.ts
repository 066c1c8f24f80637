import { recordCookieSecret, recordSecret } from "./secrets";

/**
 * How tests, benchmarks and scripts sign in to a server they started. startServer() gives every
 * server PULSE_ADMIN_PASSWORD=TEST_ADMIN_PASSWORD unless told otherwise, so its first admin is
 * `admin` with this password (and no one-time password is generated or printed).
 */
export const TEST_ADMIN_USERNAME = "admin";
export const TEST_ADMIN_PASSWORD = "pulse-test-admin-password";

/** Signs in over HTTP; the `cookie` header value that carries the session. Throws with the server's answer otherwise. */
export async function signIn(baseUrl: string, credentials: { username: string; password: string } = { username: TEST_ADMIN_USERNAME, password: TEST_ADMIN_PASSWORD }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`sign-in as '${credentials.username}' failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get("set-cookie") ?? "";
  const match = /pulse_session=([^;]+)/.exec(setCookie);
  if (!match) throw new Error(`sign-in answered without a session cookie: ${setCookie}`);
  recordSecret(credentials.password);
  recordCookieSecret(setCookie);
  return `pulse_session=${match[1]}`;
}
