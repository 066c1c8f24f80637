/**
 * Ticks are numbered by wall-clock time: tick `seq` is due at `seq × tickMs` ms since the Unix
 * epoch. The number therefore keeps increasing across server restarts, and two servers with
 * the same tick interval agree on it, which is what lets a client resume after a restart.
 */
export interface TickClock {
  tickMs: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** The real instant from which a speed other than 1 is counted (the server's start). */
  anchorMs: number;
}

export function seqAt(clock: TickClock, realMs: number): number {
  return Math.floor(realMs / clock.tickMs);
}

export function dueAt(clock: TickClock, seq: number): number {
  return seq * clock.tickMs;
}

/** The simulated instant a tick represents. At speed 1 it is the tick's own wall-clock time. */
export function simulatedInstant(clock: TickClock, seq: number): number {
  const real = dueAt(clock, seq);
  return clock.speed === 1 ? real : Math.round(clock.anchorMs + (real - clock.anchorMs) * clock.speed);
}
