/**
 * Decides which repeated warnings are written: the first `perKey` of each key (an address, say)
 * in an interval and at most `perInterval` in all; the rest are counted by kind, to be written as
 * one summary line when the interval ends. One flood must not write thousands of lines. Time is
 * passed in.
 */
export class WarningThrottle {
  private readonly counts = new Map<string, number>();
  private readonly heldBack = new Map<string, number>();
  private written = 0;
  private startedMs: number;

  constructor(
    private readonly perKey: number,
    private readonly perInterval: number,
    private readonly intervalMs: number,
    nowMs: number,
    /** Distinct keys remembered per interval; past it every key counts as already seen. */
    private readonly maxKeys = 10_000,
  ) {
    this.startedMs = nowMs;
  }

  /** True when this warning should be written; otherwise it is counted under `kind`. */
  admit(kind: string, key: string, nowMs: number): boolean {
    if (nowMs - this.startedMs >= this.intervalMs) this.restart(nowMs);
    const id = `${kind}\u0000${key}`;
    const seen = this.counts.get(id) ?? (this.counts.size >= this.maxKeys ? this.perKey : 0);
    if (seen < this.perKey && this.written < this.perInterval) {
      this.counts.set(id, seen + 1);
      this.written++;
      return true;
    }
    this.heldBack.set(kind, (this.heldBack.get(kind) ?? 0) + 1);
    return false;
  }

  /**
   * Ends the interval if it is over: the warnings held back in it by kind, or undefined when
   * none were (or the interval is still running).
   */
  roll(nowMs: number): Record<string, number> | undefined {
    if (nowMs - this.startedMs < this.intervalMs) return undefined;
    const summary = this.drain();
    this.restart(nowMs);
    return summary;
  }

  private restart(nowMs: number): void {
    // A restart inside admit() would lose the held-back counts: keep them for roll().
    this.counts.clear();
    this.written = 0;
    this.startedMs = nowMs;
  }

  /** Held-back counts not yet reported (for the last summary at shutdown). */
  drain(): Record<string, number> | undefined {
    const summary = this.heldBack.size ? Object.fromEntries(this.heldBack) : undefined;
    this.heldBack.clear();
    return summary;
  }
}
