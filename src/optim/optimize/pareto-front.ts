/**
 * @module optim/optimize/pareto-front
 * GEPA's parent choice on per-example validation scores: for each validation example, the candidates reaching its
 * best score form that example's front; a candidate another one beats or ties on every example and beats on one is
 * dominated and dropped; each survivor is drawn with probability proportional to the number of example fronts it
 * is on (its "wins"). The draw is seeded by (seed, step), so a resumed run picks the same parent.
 */
import { seededUniform } from "./seeded.js";
import type { PoolCandidate } from "./types.js";

/** A survivor of the front and how many example fronts it is on. */
export interface FrontMember {
  readonly id: number;
  readonly wins: number;
}

/** The non-dominated candidates of `pool` that are on at least one example's front, with their wins, by id. */
export function paretoFront(pool: readonly PoolCandidate[]): FrontMember[] {
  const examples = pool[0]?.scores.length ?? 0;
  const wins = new Map<number, number>();
  for (let i = 0; i < examples; i++) {
    const best = Math.max(...pool.map((c) => c.scores[i] ?? 0));
    for (const c of pool) if ((c.scores[i] ?? 0) === best) wins.set(c.id, (wins.get(c.id) ?? 0) + 1);
  }
  const dominates = (a: PoolCandidate, b: PoolCandidate) =>
    a.scores.every((s, i) => s >= (b.scores[i] ?? 0)) && a.scores.some((s, i) => s > (b.scores[i] ?? 0));
  return pool
    .filter((c) => wins.has(c.id) && !pool.some((d) => d !== c && dominates(d, c)))
    .map((c) => ({ id: c.id, wins: wins.get(c.id)! }))
    .sort((a, b) => a.id - b.id);
}

/** Draws a parent from the front, weighted by wins, seeded by (seed, step). */
export function chooseParent(pool: readonly PoolCandidate[], seed: number, step: number): number {
  const front = paretoFront(pool);
  if (front.length === 0) return pool[0]!.id;
  const total = front.reduce((n, m) => n + m.wins, 0);
  let r = seededUniform(seed, "parent", step) * total;
  for (const m of front) {
    r -= m.wins;
    if (r < 0) return m.id;
  }
  return front[front.length - 1]!.id;
}

/** The candidate with the highest mean score; the earliest wins ties (the starting prompts unless beaten). */
export function bestCandidate(pool: readonly PoolCandidate[]): PoolCandidate {
  return pool.reduce((best, c) => (c.score > best.score ? c : best), pool[0]!);
}
