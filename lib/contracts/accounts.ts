import { z } from "zod";

/** Who may do what is decided in lib/auth/access.ts; the names live here, shared with the browser. */
export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES, { error: `expected one of ${ROLES.join(", ")}` });

export const usernameSchema = z
  .string({ error: "expected a user name" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, "expected 1–40 lowercase letters, digits, dots, dashes or underscores");

export const MIN_PASSWORD_LENGTH = 10;
export const passwordSchema = z
  .string({ error: "expected a password" })
  .min(MIN_PASSWORD_LENGTH, `expected at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "expected at most 200 characters");

export const signInSchema = z
  .object({
    // A blank name is the first admin's, so the old password-only form still works.
    username: z.string().trim().toLowerCase().max(40, "expected at most 40 characters").default("admin"),
    password: z.string({ error: "expected a password" }).min(1, "expected a password").max(200, "expected at most 200 characters"),
  })
  .strict();

export const accountSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: roleSchema,
  mustChangePassword: z.boolean(),
  createdAt: z.iso.datetime(),
  passwordChangedAt: z.iso.datetime(),
});
export type Account = z.infer<typeof accountSchema>;

export const createAccountSchema = z.object({ username: usernameSchema, role: roleSchema, password: passwordSchema }).strict();
export const updateAccountSchema = z
  .object({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .strict()
  .refine((value) => value.role !== undefined || value.password !== undefined, "expected a role or a password to change");
export const changeOwnPasswordSchema = z.object({ currentPassword: z.string().min(1, "expected the current password").max(200), newPassword: passwordSchema }).strict();

export const accountsResponseSchema = z.object({ accounts: z.array(accountSchema) });
export const accountResponseSchema = z.object({ account: accountSchema });

/** GET /api/session: who is signed in, if anyone, and whether sign-in is needed to view. */
export const sessionStateSchema = z.object({
  account: z.object({ username: z.string(), role: roleSchema, mustChangePassword: z.boolean() }).nullable(),
  authRequired: z.boolean(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const auditEventSchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  username: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  address: z.string().nullable(),
  detail: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditResponseSchema = z.object({ events: z.array(auditEventSchema), nextBefore: z.string().nullable() });

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number({ error: "expected a number" }).int("expected a whole number").min(1, "expected at least 1").max(500, "expected at most 500").default(100),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/, "expected an event id")
      .optional(),
    action: z.string().max(60).regex(/^[a-z.:-]+$/, "expected an action name such as playlist.create").optional(),
  })
  .strict();
