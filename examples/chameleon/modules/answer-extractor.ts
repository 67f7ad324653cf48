/**
 * @module examples/chameleon/modules/answer-extractor
 * Answer extractor (Chameleon's `answer_generator`): plain code that turns a solution into the text of one option.
 */
/**
 * The option the solution concludes with: the last "the answer is (X)" letter; else the option whose text the
 * solution mentions last; else the option sharing the most words with the solution (Chameleon normalises by string
 * similarity); ties go to the earlier option.
 */
export function answerExtractor(solution: string, choices: readonly string[]): string {
  const letter = [...solution.matchAll(/[Tt]he answer is:?\s*\(?([A-Z])\)?(?![a-z])/g)].at(-1)?.[1];
  const index = letter === undefined ? -1 : letter.charCodeAt(0) - 65;
  if (index >= 0 && index < choices.length) return choices[index]!;
  const lower = solution.toLowerCase();
  let best = { index: -1, at: -1 };
  choices.forEach((c, i) => {
    const at = lower.lastIndexOf(c.toLowerCase());
    if (at > best.at) best = { index: i, at };
  });
  if (best.index >= 0) return choices[best.index]!;
  return mostSimilar(solution, choices);
}

function mostSimilar(solution: string, choices: readonly string[]): string {
  const words = new Set(solution.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  let best = { index: 0, score: -1 };
  choices.forEach((c, i) => {
    const score = (c.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => words.has(w)).length;
    if (score > best.score) best = { index: i, score };
  });
  return choices[best.index] ?? "";
}

