/**
 * @module optim/optimize/minibatch
 * Which training examples a step sees: epoch-shuffled minibatches (each example once per epoch, a fresh seeded
 * order per epoch), computed from the step number alone so a resumed run draws the same batches.
 */
import { seededPermutation } from "./seeded.js";

/** Indices into the trainset for `step` (1-based), `size` of them (at most the trainset's size), without repeats. */
export function minibatch(step: number, size: number, trainSize: number, seed: number): number[] {
  const take = Math.min(size, trainSize);
  const batch: number[] = [];
  // position of the step's first example in the endless sequence of epochs
  let position = (step - 1) * take;
  while (batch.length < take) {
    const epoch = Math.floor(position / trainSize);
    const order = seededPermutation(trainSize, seed, "epoch", epoch);
    const index = order[position % trainSize]!;
    // an epoch boundary inside a batch could repeat an example: skip it, take the next
    if (!batch.includes(index)) batch.push(index);
    position++;
  }
  return batch;
}
