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
