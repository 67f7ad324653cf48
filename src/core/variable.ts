/**
 * @module core/variable
 * A value in a textual computation graph. Small and inert: it holds text, a role, its predecessors, the feedback it
 * received and the rule that sends feedback further back. It does no I/O and renders nothing.
 */
import { InvalidVariableError } from "../errors.js";
import type { BackwardRule, GradNode, Gradient } from "./feedback.js";
import { backward, type BackwardOptions, type BackwardReport } from "./backward.js";

/** Options of {@link Variable}. `role` is required: feedback is only as good as the role description. */
export interface VariableOptions {
  /** What this text is, e.g. "system prompt of the planner". Shown to the backward engine and the optimizer. */
  readonly role: string;
  /**
   * Whether feedback should reach this variable. Leaves default to false; derived values default to true when any
   * predecessor requires gradients.
   */
  readonly requiresGrad?: boolean;
  /** The variables this one was computed from, in order. */
  readonly predecessors?: readonly Variable[];
  /** How feedback on this variable is sent to its predecessors. Set by the function that produced it. */
  readonly backwardRule?: BackwardRule;
  /** A stable identifier (module name, span id, parameter id). Never shown in prompts. */
  readonly id?: string;
}

/**
 * A text value with a role, its predecessors and its feedback.
 *
 * @example
 * const prompt = new Variable("You are a careful solver.", { role: "system prompt of the solver", requiresGrad: true });
 */
export class Variable implements GradNode {
  readonly role: string;
  readonly requiresGrad: boolean;
  readonly predecessors: readonly Variable[];
  readonly backwardRule: BackwardRule | undefined;
  readonly id: string | undefined;
  #value: string;
  #gradients: Gradient[] = [];

  constructor(value: string, options: VariableOptions) {
    const label = options?.id ?? options?.role ?? "(unnamed variable)";
    if (typeof value !== "string") {
      throw new InvalidVariableError(
        `Variable "${label}" got a value of type ${value === null ? "null" : typeof value}; values must be strings — convert it with String(value) or JSON.stringify(value).`,
        { subject: label },
      );
    }
    if (!options || typeof options.role !== "string" || options.role.trim() === "") {
      throw new InvalidVariableError(
        `Variable "${truncate(value)}" needs a non-empty role, e.g. { role: "system prompt of the planner" }: the role tells the backward engine what the text is for.`,
        { subject: label },
      );
    }
    const predecessors = options.predecessors ?? [];
    for (const p of predecessors) {
      if (!(p instanceof Variable)) {
        throw new InvalidVariableError(`Variable "${options.role}" has a predecessor that is not a Variable; wrap inputs with new Variable(text, { role }).`, { subject: label });
      }
    }
    const anyTrainable = predecessors.some((p) => p.requiresGrad);
    const requiresGrad = options.requiresGrad ?? anyTrainable;
    if (!requiresGrad && anyTrainable) {
      const culprit = predecessors.find((p) => p.requiresGrad)!;
      throw new InvalidVariableError(
        `Variable "${options.role}" has requiresGrad: false but its predecessor "${culprit.role}" requires gradients; feedback could not flow through it — drop requiresGrad: false or freeze the predecessor.`,
        { subject: label },
      );
    }
    this.#value = value;
    this.role = options.role;
    this.requiresGrad = requiresGrad;
    this.predecessors = Object.freeze([...predecessors]);
    this.backwardRule = options.backwardRule;
    this.id = options.id;
  }

  /** The current text. */
  get value(): string {
    return this.#value;
  }

  /** Feedback received so far, in delivery order. */
  get gradients(): readonly Gradient[] {
    return this.#gradients;
  }

  /** Replaces the text (what an optimizer's apply() does). */
  setValue(value: string): void {
    if (typeof value !== "string") {
      throw new InvalidVariableError(`setValue() on "${this.role}" got a ${typeof value}; values must be strings.`, { subject: this.id ?? this.role });
    }
    this.#value = value;
  }

  /** Appends feedback. Used by the backward scheduler; rarely needed by hand. */
  addGradient(gradient: Gradient): void {
    this.#gradients.push(gradient);
  }

  /** All feedback texts joined by blank lines, in order. */
  gradientText(): string {
    return this.#gradients.map((g) => g.text).join("\n\n");
  }

  /** Forgets all feedback. */
  zeroGrad(): void {
    this.#gradients = [];
  }

  /**
   * Sends feedback from this variable (usually a loss) back through the graph: `backward(this, options)`, in
   * TextGrad's (PyTorch's) spelling. Independent nodes run concurrently under `concurrency`; nodes that lead to
   * nothing trainable make no calls; if a call fails, no variable keeps any feedback of the pass. One call per node
   * by default; `{ feedback: "per-input" }` gives TextGrad's one call per trainable input.
   *
   * @example
   * await loss.backward({ engine });
   * await loss.backward({ engine, feedback: "per-input" });
   */
  backward(options: BackwardOptions): Promise<BackwardReport> {
    return backward(this, options);
  }

  toString(): string {
    return `Variable(${JSON.stringify(this.role)}: ${JSON.stringify(truncate(this.#value))})`;
  }
}

function truncate(text: unknown): string {
  const s = String(text);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
