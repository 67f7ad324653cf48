/**
 * @module optim/parameter-history
 * What an optimizer remembers about each parameter between steps: earlier values (momentum) and earlier feedback
 * (gradient memory). Owned by one optimizer instance; nothing is global.
 */
import type { PastFeedback, PastValue } from "../prompts/optimizer-prompt.js";
import type { Variable } from "../core/variable.js";

interface Entry {
  updates: number;
  values: PastValue[];
  feedback: PastFeedback[];
}

/** Per-parameter history, trimmed to the longest window anyone will read. */
export class ParameterHistory {
  readonly #entries = new Map<Variable, Entry>();
  readonly #keep: number;

  /** `keep`: how many past values and past feedback sets to retain per parameter. */
  constructor(keep: number) {
    this.#keep = keep;
  }

  /** Records one update of `parameter`: the value it replaced and the feedback that led to it. */
  record(parameter: Variable, previous: string, feedback: readonly string[]): void {
    const entry = this.#entries.get(parameter) ?? { updates: 0, values: [], feedback: [] };
    this.#entries.set(parameter, entry);
    entry.updates++;
    if (this.#keep === 0) return;
    entry.values.push({ step: entry.updates, value: previous });
    entry.feedback.push({ step: entry.updates, feedback: [...feedback] });
    if (entry.values.length > this.#keep) entry.values.shift();
    if (entry.feedback.length > this.#keep) entry.feedback.shift();
  }

  /** The last `count` values `parameter` had before its updates, oldest first. */
  pastValues(parameter: Variable, count: number): PastValue[] {
    return count > 0 ? (this.#entries.get(parameter)?.values.slice(-count) ?? []) : [];
  }

  /** The feedback of the last `count` updates of `parameter`, oldest first. */
  pastFeedback(parameter: Variable, count: number): PastFeedback[] {
    return count > 0 ? (this.#entries.get(parameter)?.feedback.slice(-count) ?? []) : [];
  }
}
