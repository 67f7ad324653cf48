/**
 * @module registry/canary-stats
 * The statistics behind a canary decision: a confidence interval on one version's mean score and on the difference of
 * two versions' means. Scores that are all 0 or 1 (thumbs, pass/fail) use Wilson (one version) and Agresti–Caffo (the
 * difference), which behave at small n and at 0 % or 100 %; other scores use the normal approximation (Welch).
 */

/** Mean and interval of one sample. */
export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  readonly interval: readonly [number, number];
}

/** True when every score is 0 or 1. */
export function isBinary(scores: readonly number[]): boolean {
  return scores.every((s) => s === 0 || s === 1);
}

/** The z value of a two-sided interval at `confidence` (0.95 → 1.96), by Acklam's rational approximation. */
export function zFor(confidence: number): number {
  return probit(1 - (1 - confidence) / 2);
}

/**
 * Mean of `scores` with its interval: Wilson for 0/1 scores, else mean ± z·s/√n.
 *
 * @example
 * meanInterval([1, 1, 0, 1], 1.96); // { n: 4, mean: 0.75, interval: [0.30, 0.95] }
 */
export function meanInterval(scores: readonly number[], z: number): MeanInterval {
  const n = scores.length;
  const m = mean(scores);
  if (isBinary(scores)) {
    const denom = 1 + (z * z) / n;
    const centre = (m + (z * z) / (2 * n)) / denom;
    const half = (z * Math.sqrt((m * (1 - m)) / n + (z * z) / (4 * n * n))) / denom;
    return { n, mean: m, interval: [Math.max(0, centre - half), Math.min(1, centre + half)] };
  }
  const half = z * Math.sqrt(variance(scores) / n);
  return { n, mean: m, interval: [m - half, m + half] };
}

/**
 * The difference `a − b` of two samples' means with its interval, and the method used.
 *
 * @example
 * difference(canaryScores, productionScores, 1.96); // { estimate: 0.12, interval: [0.03, 0.21], method: "Agresti–Caffo" }
 */
export function difference(a: readonly number[], b: readonly number[], z: number): { estimate: number; interval: [number, number]; method: string } {
  const estimate = mean(a) - mean(b);
  if (isBinary(a) && isBinary(b)) {
    // Agresti–Caffo: add one success and one failure to each sample
    const pa = (sum(a) + 1) / (a.length + 2);
    const pb = (sum(b) + 1) / (b.length + 2);
    const se = Math.sqrt((pa * (1 - pa)) / (a.length + 2) + (pb * (1 - pb)) / (b.length + 2));
    return { estimate, interval: [pa - pb - z * se, pa - pb + z * se], method: "Agresti–Caffo" };
  }
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  return { estimate, interval: [estimate - z * se, estimate + z * se], method: "normal (Welch)" };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function mean(xs: readonly number[]): number {
  return sum(xs) / xs.length;
}

/** Sample variance (n − 1); 0 for fewer than two scores. */
function variance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
}

/** Inverse standard normal CDF (Acklam, relative error < 1.2e-9). */
function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
