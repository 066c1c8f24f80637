import { describe, expect, it } from "vitest";
import { SignInThrottle, delayAfter } from "./throttle";

describe("sign-in throttle", () => {
  it("lets a few typos pass, then doubles the wait after each failure, up to 15 minutes", () => {
    expect([1, 5, 6, 7, 8, 9].map((failures) => delayAfter(failures, 5))).toEqual([0, 0, 1, 2, 4, 8]);
    expect(delayAfter(300, 5)).toBe(900);
  });

  it("refuses a name and address after five failures until the delay has passed, then lets the right password through", async () => {
    const throttle = new SignInThrottle();
    for (let failure = 1; failure <= 5; failure++) {
      expect(await throttle.check("admin", "10.0.0.1")).toEqual({ allowed: true });
      expect(await throttle.fail("admin", "10.0.0.1")).toBe(0);
    }
    expect(await throttle.fail("admin", "10.0.0.1")).toBe(1);
    expect(await throttle.check("admin", "10.0.0.1")).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    // The owner at another address is not held up by a guesser's few failures.
    expect(await throttle.check("admin", "10.0.0.2")).toEqual({ allowed: true });
  });

  it("makes the wait longer for every attempt made while told to wait, up to 15 minutes", async () => {
    const throttle = new SignInThrottle();
    for (let failure = 0; failure < 6; failure++) await throttle.fail("admin", "10.0.0.3");
    let verdict = await throttle.check("admin", "10.0.0.3");
    for (let attempt = 0; attempt < 300; attempt++) verdict = await throttle.check("admin", "10.0.0.3");
    expect(verdict).toEqual({ allowed: false, retryAfterSeconds: 900 });
  });

  it("lets the name and address try again once the delay has passed", async () => {
    const throttle = new SignInThrottle();
    let delaySeconds = 0;
    for (let failure = 0; failure < 6; failure++) delaySeconds = await throttle.fail("operator", "10.0.0.4");
    expect(delaySeconds).toBe(1);
    // Asking while told to wait would lengthen the wait, so the test lets the announced delay run out.
    await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000 + 100));
    expect(await throttle.check("operator", "10.0.0.4")).toEqual({ allowed: true });
    await throttle.succeed("operator", "10.0.0.4");
    expect(await throttle.fail("operator", "10.0.0.4")).toBe(0);
  });
});
