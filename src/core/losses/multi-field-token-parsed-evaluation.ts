/**
 * @module core/losses/multi-field-token-parsed-evaluation
 * A multi-field judge whose reply carries a verdict between two tags, e.g. `<ACCURACY>1</ACCURACY>`.
 */
import { EvaluationParseError, InvalidArgumentError } from "../../errors.js";
import { MultiFieldEvaluation, type MultiFieldEvaluationOptions } from "./multi-field-evaluation.js";

/** Options of {@link MultiFieldTokenParsedEvaluation}. */
export interface MultiFieldTokenParsedEvaluationOptions extends MultiFieldEvaluationOptions {
  /** The start and end markers of the verdict in the judge's reply. */
  readonly parseTags: readonly [string, string];
}

/**
 * {@link MultiFieldEvaluation} plus {@link MultiFieldTokenParsedEvaluation.parseOutput}.
 *
 * @example
 * const judge = new MultiFieldTokenParsedEvaluation({ engine, instruction, roles: ["question", "truth", "prediction"],
 *   parseTags: ["<ACCURACY>", "</ACCURACY>"] });
 * const score = judge.parseOutput((await judge.forward([q, t, p])).value);
 */
export class MultiFieldTokenParsedEvaluation extends MultiFieldEvaluation {
  readonly parseTags: readonly [string, string];

  constructor(options: MultiFieldTokenParsedEvaluationOptions) {
    super(options);
    const tags = options.parseTags;
    if (!Array.isArray(tags) || tags.length !== 2 || tags.some((t) => typeof t !== "string" || t === "")) {
      throw new InvalidArgumentError('MultiFieldTokenParsedEvaluation needs parseTags: [start, end], e.g. ["<ACCURACY>", "</ACCURACY>"].', {
        subject: "MultiFieldTokenParsedEvaluation",
      });
    }
    this.parseTags = [tags[0], tags[1]];
  }

  /**
   * The text between the first start tag and the next end tag, trimmed.
   * @throws EvaluationParseError when either tag is missing.
   */
  parseOutput(text: string): string {
    const [start, end] = this.parseTags;
    const from = text.indexOf(start);
    const to = from < 0 ? -1 : text.indexOf(end, from + start.length);
    if (to < 0) {
      throw new EvaluationParseError(
        `MultiFieldTokenParsedEvaluation: the judge's reply has no verdict between ${start} and ${end}. Ask for them in the instruction, or use a stronger judge model.`,
        { subject: `${start}…${end}`, reply: text },
      );
    }
    return text.slice(from + start.length, to).trim();
  }
}
