/**
 * A token bucket: `capacity` tokens at once, refilled at `perSecond`. A message takes one token;
 * a costlier one (a large subscription answer) takes more. Time is passed in.
 */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  /** Takes `cost` tokens (at most the capacity, so any single cost can be paid after a pause); false, taking none, when too few are left. */
  take(nowMs: number, cost = 1): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, nowMs - this.updatedMs) / 1000) * this.perSecond);
    this.updatedMs = Math.max(this.updatedMs, nowMs);
    const price = Math.min(this.capacity, Math.max(0, cost));
    if (this.tokens < price || this.tokens < 1) return false;
    this.tokens -= price;
    return true;
  }
}
