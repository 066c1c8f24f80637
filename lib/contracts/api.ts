import { z } from "zod";

/** Every error the HTTP API returns has this one shape. */
export const API_ERROR_CODES = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** The Host header names another server (DNS rebinding); see PULSE_ALLOWED_HOSTS. */
  misdirected: 421,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERROR_CODES) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
  }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** One readable sentence from a zod error: "limit: expected a number; unknown operator 'x'…". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join(".");
      return issue.code === "custom" || where === "" ? issue.message : `${where}: ${issue.message}`;
    })
    .join("; ");
}

/** A row id in a path: a positive PostgreSQL int4, so a larger number is a 400 and not a 500. */
export const databaseIdSchema = z.coerce
  .number({ error: "expected a number" })
  .int("expected a whole number")
  .positive("expected a positive number")
  .max(2_147_483_647, "expected at most 2147483647");
