import { z } from "zod";

/** 1970-01-01 to 9999-12-31: every instant the API takes. */
export const MIN_INSTANT_MS = 0;
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * True for an instant the database and `Date#toISOString` both handle: outside this range a
 * query parameter would reach them as a year-0 timestamp or an invalid Date (a 500, not a 400).
 */
export function isInstantInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

/** An instant as ISO 8601 ("2026-11-25T08:00:00Z") or milliseconds since 1970, within 1970–9999. */
export const instantParam = z.string().transform((raw, ctx) => {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: `expected an ISO 8601 date-time or milliseconds since 1970, got '${raw.slice(0, 40)}'` });
    return z.NEVER;
  }
  if (!isInstantInRange(ms)) {
    ctx.addIssue({ code: "custom", message: `expected an instant between 1970 and 9999, got '${raw.slice(0, 40)}'` });
    return z.NEVER;
  }
  return ms;
});
