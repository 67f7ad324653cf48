/**
 * @module optim/optimize/seeded
 * Randomness as a pure function of (seed, purpose, step): a resumed run draws exactly what an uninterrupted run drew,
 * whatever happened before, because nothing depends on how many numbers were drawn earlier.
 */
import { createHash } from "node:crypto";

/** A uniform number in [0, 1) for `parts` (e.g. seed, "batch", step, i). */
export function seededUniform(...parts: readonly (string | number)[]): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  // 48 bits are plenty for sampling and exactly representable as a double
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** A permutation of 0..n-1, shuffled (Fisher–Yates) from `parts`. */
export function seededPermutation(n: number, ...parts: readonly (string | number)[]): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(seededUniform(...parts, i) * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
