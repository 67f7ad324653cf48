/**
 * @module optim/optimize/fingerprint
 * What a checkpoint directory was written with, so a resume with other options is refused instead of mixing two
 * experiments in one journal. Steps, budget, engine, events and concurrency may change between sessions (that is
 * how a run is extended or given more budget); everything that changes what a step means may not.
 */
import { stableHash } from "../../engine/stable-hash.js";
import { CheckpointMismatchError } from "../../errors.js";

/** The options a journal is bound to. */
export interface Fingerprint {
  /** sha256 of the trainset and valset (canonical JSON). */
  readonly dataset: string;
  readonly trainSize: number;
  readonly valSize: number;
  /** Names of the optimized parameters, sorted. */
  readonly parameters: readonly string[];
  readonly metric: string;
  readonly seed: number;
  readonly selection: string;
  readonly batchSize: number;
  readonly gate: boolean;
  readonly guard: string;
  readonly loss: string;
  readonly perfectScore: number;
}

/** The dataset part of a fingerprint. */
export function datasetHash(trainset: readonly unknown[], valset: readonly unknown[]): string {
  return stableHash({ trainset, valset });
}

const LABELS: Readonly<Record<keyof Fingerprint, string>> = {
  dataset: "dataset (trainset/valset contents)",
  trainSize: "trainset size",
  valSize: "valset size",
  parameters: "parameters",
  metric: "metric name",
  seed: "seed",
  selection: "selection",
  batchSize: "batchSize",
  gate: "gate",
  guard: "guard",
  loss: "loss",
  perfectScore: "perfectScore",
};

/**
 * Throws CheckpointMismatchError naming every field of `current` that differs from `stored` (only the fields
 * `current` has are compared).
 */
export function checkFingerprint(stored: Fingerprint, current: Partial<Fingerprint>, dir: string): void {
  const differs = (Object.keys(current) as (keyof Fingerprint)[]).filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(current[k]));
  if (differs.length === 0) return;
  const show = (v: unknown) => {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  };
  const detail = differs.map((k) => (k === "dataset" ? LABELS[k] : `${LABELS[k]}: journal has ${show(stored[k])}, now ${show(current[k])}`)).join("; ");
  throw new CheckpointMismatchError(
    `optimize(): checkpointDir "${dir}" holds a run made with other options (${detail}). It is not resumed with these: use a fresh checkpointDir, or the options it was written with.`,
    { fields: differs, subject: differs[0] },
  );
}
