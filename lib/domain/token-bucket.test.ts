import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("allows a burst, then refills at its rate", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(400)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
  });

  it("charges a costlier message more tokens, taking none when it cannot pay", () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect(bucket.take(0, 9)).toBe(true);
    expect(bucket.take(0, 2)).toBe(false); // one token left: the refusal takes nothing…
    expect(bucket.take(0)).toBe(true); // …so the one token is still there
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(4_500, 9)).toBe(true); // 9 tokens back after 4.5 s
  });

  it("caps a cost at the capacity, so any message can be paid for after a pause", () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect(bucket.take(0, 50)).toBe(true);
    expect(bucket.take(0)).toBe(false);
  });

  it("does not refill when the clock steps back", () => {
    const bucket = new TokenBucket(1, 1, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(10_500)).toBe(false);
    expect(bucket.take(11_000)).toBe(true);
  });
});
