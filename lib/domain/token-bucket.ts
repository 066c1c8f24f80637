/** A token bucket: `capacity` messages at once, refilled at `perSecond`. Time is passed in. */
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

  take(nowMs: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.updatedMs) / 1000) * this.perSecond);
    this.updatedMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
