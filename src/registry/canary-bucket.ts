/**
 * @module registry/canary-bucket
 * Which runs read the canary. A run's place in [0, 1) is a hash of its trace id alone, so every read in one run gets
 * the same version, every process agrees, and prompts canaried at the same share go to the same runs (a candidate that
 * changed two prompts is tried as a whole).
 */
import { createHash } from "node:crypto";

/**
 * The run's bucket in [0, 1): the first 48 bits of sha256(traceId), as a fraction.
 *
 * @example
 * canaryBucket("0af7651916cd43dd8448eb211c80319c") < 0.1; // this run reads the canary at share 0.1 (or not), always
 */
export function canaryBucket(traceId: string): number {
  const hex = createHash("sha256").update(traceId).digest("hex").slice(0, 12);
  return Number.parseInt(hex, 16) / 2 ** 48;
}

/** True when the run with this trace id reads the canary at `share` (0 = never, 1 = always). */
export function inCanary(traceId: string, share: number): boolean {
  return canaryBucket(traceId) < share;
}
