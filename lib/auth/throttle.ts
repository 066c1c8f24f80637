import { RateLimiterMemory } from "rate-limiter-flexible";
import { WarningThrottle } from "@/lib/domain/warning-throttle";

/**
 * Growing delays after failed sign-ins, after rate-limiter-flexible's "login endpoint protection"
 * recipe, counted three ways:
 * - per name and address: the first 5 failures are free (typos); after that each failure doubles
 *   the wait (1 s, 2 s, 4 s… up to 15 minutes), and so does every attempt made while told to wait,
 *   so a guesser hammering on gets the full 15 minutes while the owner elsewhere is not affected;
 * - per address (any names): 20 free failures, then the same doubling;
 * - per name (any addresses, against guessing spread over many addresses): 20 free failures, then
 *   the same doubling. This one can delay the owner too; that is the price of stopping it.
 * While any wait runs the password is not checked: a guesser learns nothing and burns no hashing
 * time. A success clears the name-and-address count. Memory store: one process holds all
 * sign-ins (README: several servers on one database are not supported).
 */
export const PAIR_FREE_FAILURES = 5;
export const ADDRESS_FREE_FAILURES = 20;
export const ACCOUNT_FREE_FAILURES = 20;
export const MAX_DELAY_SECONDS = 15 * 60;
const REMEMBER_SECONDS = 24 * 3600;

/** Seconds to wait after the `failures`-th consecutive failure, given `free` of them cost nothing. */
export function delayAfter(failures: number, free: number): number {
  if (failures <= free) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(failures - free - 1, 20));
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type Scope = "pair" | "address" | "account";
const FREE: Record<Scope, number> = { pair: PAIR_FREE_FAILURES, address: ADDRESS_FREE_FAILURES, account: ACCOUNT_FREE_FAILURES };

export class SignInThrottle {
  /**
   * Refusals while a wait runs are not bounded by the waits themselves (a guesser may ask as fast
   * as it likes): log the first few per address a minute, then one line with the count held back.
   */
  readonly refusalLog = new WarningThrottle(3, 30, 60_000, Date.now());
  private readonly failures: Record<Scope, RateLimiterMemory> = {
    pair: new RateLimiterMemory({ keyPrefix: "signin-fail-pair", points: 1_000_000, duration: REMEMBER_SECONDS }),
    address: new RateLimiterMemory({ keyPrefix: "signin-fail-address", points: 1_000_000, duration: REMEMBER_SECONDS }),
    account: new RateLimiterMemory({ keyPrefix: "signin-fail-account", points: 1_000_000, duration: REMEMBER_SECONDS }),
  };
  // One point: block() makes get() report more than that until the block ends.
  private readonly blocks = new RateLimiterMemory({ keyPrefix: "signin-block", points: 1, duration: 1 });

  private keys(username: string, address: string): Record<Scope, string> {
    return { pair: `${username}|${address}`, address, account: username };
  }

  private async waitMs(scope: Scope, key: string): Promise<number> {
    const block = await this.blocks.get(`${scope}:${key}`);
    return block && block.consumedPoints > 1 ? block.msBeforeNext : 0;
  }

  private async count(scope: Scope, key: string): Promise<number> {
    const failures = await this.failures[scope].penalty(key, 1);
    const delay = delayAfter(failures.consumedPoints, FREE[scope]);
    if (delay > 0) await this.blocks.block(`${scope}:${key}`, delay);
    return delay;
  }

  /** Whether a sign-in for `username` from `address` may be tried now. */
  async check(username: string, address: string): Promise<ThrottleVerdict> {
    const keys = this.keys(username, address);
    // Asking again while told to wait counts as another failure of this name from this address.
    if ((await this.waitMs("pair", keys.pair)) > 0) await this.count("pair", keys.pair);
    let waitMs = 0;
    for (const scope of ["pair", "address", "account"] as const) waitMs = Math.max(waitMs, await this.waitMs(scope, keys[scope]));
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
  }

  /** Counts a failed password; returns the delay now imposed (0 while failures are still free). */
  async fail(username: string, address: string): Promise<number> {
    const keys = this.keys(username, address);
    let delay = 0;
    for (const scope of ["pair", "address", "account"] as const) delay = Math.max(delay, await this.count(scope, keys[scope]));
    return delay;
  }

  async succeed(username: string, address: string): Promise<void> {
    await this.failures.pair.delete(this.keys(username, address).pair);
  }
}

// Route handlers are bundled separately from the custom server: one throttle per process via globalThis.
const holder = globalThis as typeof globalThis & { __pulseSignInThrottle?: SignInThrottle };
export function signInThrottle(): SignInThrottle {
  holder.__pulseSignInThrottle ??= new SignInThrottle();
  return holder.__pulseSignInThrottle;
}
