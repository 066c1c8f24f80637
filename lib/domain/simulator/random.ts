/**
 * Deterministic pseudo-randomness: every draw is a pure function of its inputs, so two
 * processes with the same seed compute the same values for the same instant.
 */

/** 32-bit FNV-1a of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes integers into a well-spread 32-bit value (the murmur3 finaliser over a running hash). */
export function mix(...values: number[]): number {
  let hash = 0x9e3779b9;
  for (const value of values) {
    // Split large integers (timestamps, slot numbers) into two 32-bit halves.
    const low = value >>> 0;
    const high = Math.floor(value / 0x1_0000_0000) >>> 0;
    for (const part of [low, high]) {
      hash ^= part;
      hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
      hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
      hash ^= hash >>> 16;
    }
  }
  return hash >>> 0;
}

/** A uniform draw in [0, 1) for the given inputs. */
export function unit(...values: number[]): number {
  return mix(...values) / 0x1_0000_0000;
}

/** A draw in [-1, 1] that is smooth in `position`: cosine-interpolated value noise. */
export function smoothNoise(seed: number, channel: number, position: number): number {
  const cell = Math.floor(position);
  const fraction = position - cell;
  const left = unit(seed, channel, cell) * 2 - 1;
  const right = unit(seed, channel, cell + 1) * 2 - 1;
  const weight = (1 - Math.cos(fraction * Math.PI)) / 2;
  return left + (right - left) * weight;
}
