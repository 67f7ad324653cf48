/**
 * @module optim/optimize/overfit-guard
 * Rejects a proposal that copies training data before any validation is spent on it (GEPA users added this by hand,
 * gepa #261): a training example's answer that the new value has and the old one had not, or a run of
 * `minSpanWords` consecutive words of a training input that is new in the value. Case and spacing are ignored; an
 * answer must match at word boundaries, so "4" does not match inside "48".
 */
import { exampleText } from "./example-text.js";
import type { GuardOptions } from "./options.js";

/** Why a proposal was rejected, or undefined when it passes. */
export type GuardVerdict = string | undefined;

/** The guard over one trainset: built once, asked per proposal. */
export interface OverfitGuard {
  check(before: string, after: string): GuardVerdict;
}

const DEFAULTS = { minAnswerChars: 4, minSpanWords: 8 } as const;

/** Builds the guard over `trainset`; `options === false` gives one that passes everything. */
export function overfitGuard(trainset: readonly unknown[], options: GuardOptions | false | undefined): OverfitGuard {
  if (options === false) return { check: () => undefined };
  const minAnswer = options?.minAnswerChars ?? DEFAULTS.minAnswerChars;
  const spanWords = options?.minSpanWords ?? DEFAULTS.minSpanWords;
  const texts = trainset.map(exampleText);
  // every span of the inputs, keyed by its words, remembering the first example it came from
  const spans = new Map<string, number>();
  texts.forEach((t, i) => {
    const words = wordsOf(t.input);
    for (let s = 0; s + spanWords <= words.length; s++) {
      const key = words.slice(s, s + spanWords).join(" ");
      if (!spans.has(key)) spans.set(key, i);
    }
  });
  return {
    check(before, after) {
      const old = normalize(before);
      const now = normalize(after);
      for (let i = 0; i < texts.length; i++) {
        const answer = texts[i]!.answer === undefined ? "" : normalize(texts[i]!.answer!);
        if (answer.length >= minAnswer && hasPhrase(now, answer) && !hasPhrase(old, answer)) {
          return `copies the answer of training example ${i} ("${clip(texts[i]!.answer!)}")`;
        }
      }
      const words = wordsOf(after);
      const oldText = ` ${wordsOf(before).join(" ")} `;
      for (let s = 0; s + spanWords <= words.length; s++) {
        const key = words.slice(s, s + spanWords).join(" ");
        const from = spans.get(key);
        if (from !== undefined && !oldText.includes(` ${key} `)) return `copies ${spanWords} words of training example ${from}'s input ("${clip(key)}")`;
      }
      return undefined;
    },
  };
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** `phrase` in `text` with no letter or digit right before or after it. */
function hasPhrase(text: string, phrase: string): boolean {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    const before = text[at - 1];
    const after = text[at + phrase.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
  }
  return false;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
