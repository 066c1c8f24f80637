import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer";

describe("RingBuffer", () => {
  it("holds the newest `capacity` items in order, whatever is pushed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer(), { maxLength: 300 }), (capacity, items) => {
        const buffer = new RingBuffer<number>(capacity);
        items.forEach((item) => buffer.push(item));
        const kept = items.slice(-capacity);
        expect(buffer.size).toBe(kept.length);
        expect(buffer.latest()).toEqual(kept);
        expect(buffer.first()).toBe(kept[0]);
        expect(buffer.last()).toBe(kept.at(-1));
        expect(buffer.latest(3)).toEqual(kept.slice(-3));
        // Replacing the newest changes that one only.
        buffer.replaceLast(-1);
        expect(buffer.latest()).toEqual(kept.length ? [...kept.slice(0, -1), -1] : []);
      }),
    );
  });
});
