import { RateLimiterMemory } from "rate-limiter-flexible";

/**
 * Growing delays after failed sign-ins, per account name and per address (after
 * rate-limiter-flexible's "login endpoint protection" recipe). The first few failures are free
 * (typos); after that each failure blocks the next attempt for twice as long as the one before,
 * up to 15 minutes. While blocked, the password is not even checked, so a guesser learns nothing
 * and burns no hashing time. A success clears the account's count, not the address's: a shared
 * office address keeps working, a guessing address does not get a fresh start by knowing one password.
 * Memory store: one process holds all sessions' sign-ins (README: several servers are not supported).
 */
export const ACCOUNT_FREE_FAILURES = 5;
export const ADDRESS_FREE_FAILURES = 20;
export const MAX_DELAY_SECONDS = 15 * 60;
const REMEMBER_SECONDS = 24 * 3600;

/** Seconds to wait after the `failures`-th consecutive failure, given `free` of them cost nothing. */
export function delayAfter(failures: number, free: number): number {
  if (failures <= free) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(failures - free - 1, 20));
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SignInThrottle {
  private readonly failures = {
    account: new RateLimiterMemory({ keyPrefix: "signin-fail-account", points: 1_000_000, duration: REMEMBER_SECONDS }),
    address: new RateLimiterMemory({ keyPrefix: "signin-fail-address", points: 1_000_000, duration: REMEMBER_SECONDS }),
  };
  // One point: block() makes get() report more than that until the block ends.
  private readonly blocks = new RateLimiterMemory({ keyPrefix: "signin-block", points: 1, duration: 1 });

  /** Whether a sign-in for `username` from `address` may be tried now. */
  async check(username: string, address: string): Promise<ThrottleVerdict> {
    let waitMs = 0;
    for (const key of [`account:${username}`, `address:${address}`]) {
      const block = await this.blocks.get(key);
      if (block && block.consumedPoints > 1) waitMs = Math.max(waitMs, block.msBeforeNext);
    }
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
  }

  /** Counts a failure; returns the delay now imposed (0 while failures are still free). */
  async fail(username: string, address: string): Promise<number> {
    const account = await this.failures.account.penalty(username, 1);
    const fromAddress = await this.failures.address.penalty(address, 1);
    const accountDelay = delayAfter(account.consumedPoints, ACCOUNT_FREE_FAILURES);
    const addressDelay = delayAfter(fromAddress.consumedPoints, ADDRESS_FREE_FAILURES);
    if (accountDelay > 0) await this.blocks.block(`account:${username}`, accountDelay);
    if (addressDelay > 0) await this.blocks.block(`address:${address}`, addressDelay);
    return Math.max(accountDelay, addressDelay);
  }

  async succeed(username: string): Promise<void> {
    await this.failures.account.delete(username);
  }
}

// Route handlers are bundled separately from the custom server: one throttle per process via globalThis.
const holder = globalThis as typeof globalThis & { __pulseSignInThrottle?: SignInThrottle };
export function signInThrottle(): SignInThrottle {
  holder.__pulseSignInThrottle ??= new SignInThrottle();
  return holder.__pulseSignInThrottle;
}
