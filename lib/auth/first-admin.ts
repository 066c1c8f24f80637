import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { hashPassword, randomPassword } from "@/lib/auth/password";
import { AccountExistsError, adminExists, createAccount } from "@/lib/db/accounts";

export const FIRST_ADMIN_USERNAME = "admin";
export const INITIAL_PASSWORD_FILE = "initial-admin-password";

export type FirstAdmin =
  | { created: false }
  | { created: true; username: string; generated: false }
  | { created: true; username: string; generated: true; password: string; passwordFile: string };

/**
 * When no admin exists (a fresh database), creates `admin`: with PULSE_ADMIN_PASSWORD when set
 * (automation, tests; nothing is printed), otherwise with a random one-time password written to
 * `<dataDir>/initial-admin-password` (0600, readable by the server's user only), whose path the
 * caller logs (never the password itself). A generated password must be changed at first sign-in.
 */
export async function ensureFirstAdmin(options: { dataDir: string; presetPassword: string | undefined }): Promise<FirstAdmin> {
  if (await adminExists()) return { created: false };
  const password = options.presetPassword ?? randomPassword();
  const generated = options.presetPassword === undefined;
  try {
    await createAccount({ username: FIRST_ADMIN_USERNAME, role: "admin", passwordHash: await hashPassword(password), mustChangePassword: generated });
  } catch (error) {
    if (error instanceof AccountExistsError) return { created: false }; // another process made it first
    throw error;
  }
  if (!generated) return { created: true, username: FIRST_ADMIN_USERNAME, generated: false };
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.resolve(options.dataDir, INITIAL_PASSWORD_FILE);
  // 0o600 applies on creation; an older file of a previous database is replaced whole.
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "w" });
  return { created: true, username: FIRST_ADMIN_USERNAME, generated: true, password, passwordFile };
}
