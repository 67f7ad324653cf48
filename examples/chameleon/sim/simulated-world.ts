/**
 * @module examples/chameleon/sim/simulated-world
 * The ground truth the simulated Chameleon model (`chameleon-model.ts`) plays against: multiple-choice questions with
 * the one fact that decides each, the tempting wrong option, generic background per topic, a search corpus, and the
 * trigger instructions that switch off the model's documented mistakes. Plain data plus pure look-up helpers; nothing here calls a model.
 */

/** One multiple-choice question the simulated model knows the truth about. */
export interface SimulatedQuestion {
  readonly id: string;
  readonly question: string;
  readonly context?: string;
  readonly choices: readonly string[];
  /** Index of the correct choice. */
  readonly answer: number;
  readonly subject: string;
  readonly topic?: string;
  readonly grade?: number;
  /** The one fact that decides the question. Contains no double quote, because feedback quotes it. */
  readonly keyFact: string;
  /** Index of the tempting wrong choice, picked when the key fact is missing. */
  readonly distractor: number;
  /** True when the search corpus holds a document with the key fact. */
  readonly searchable?: boolean;
  /** What a good search query names (used by the query generator once its prompt asks for the key term). */
  readonly keyTerm?: string;
  /**
   * True when knowledge retrieval leaves the key fact out unless its prompt carries the knowledge trigger.
   * Undefined: decided by a stable hash of the id (about half of the questions).
   */
  readonly hard?: boolean;
}

/** One document of the search corpus. */
export interface SimulatedDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/**
 * An instruction that, once present in a module's system prompt, switches off that module's mistake. `phrase` is
 * what the simulated backward engine and optimizer write; `pattern` also accepts paraphrases a real optimizer might
 * produce.
 */
export interface SimulatedTrigger {
  readonly phrase: string;
  readonly pattern: RegExp;
}

/** The triggers of the three agent modules that make mistakes. */
export interface SimulatedTriggers {
  /** Knowledge retrieval states the deciding fact even on hard questions. */
  readonly knowledge: SimulatedTrigger;
  /** The query generator puts the question's key term in the query, so search finds the key document. */
  readonly query: SimulatedTrigger;
  /** The planner runs knowledge retrieval for every question, including the topics it otherwise skips. */
  readonly planner: SimulatedTrigger;
}

/** The module names the simulated planner writes, in Chameleon's spelling by default. */
export interface SimulatedModuleNames {
  readonly knowledge: string;
  readonly query: string;
  readonly search: string;
  readonly solution: string;
  readonly answer: string;
}

/** Everything the simulated model knows. Build one per dataset; see `chameleonWorld` in `../world.ts`. */
export interface SimulatedWorld {
  readonly questions: readonly SimulatedQuestion[];
  readonly corpus?: readonly SimulatedDocument[];
  /** Generic background sentences per topic (or subject), which knowledge retrieval always returns. */
  readonly background?: Readonly<Record<string, readonly string[]>>;
  /** Topics or subjects for which the planner skips knowledge retrieval unless its prompt has the planner trigger. */
  readonly plannerSkipsKnowledgeFor?: readonly string[];
  readonly triggers?: Partial<SimulatedTriggers>;
  readonly moduleNames?: Partial<SimulatedModuleNames>;
}

/** Default trigger instructions. None of them contains the words "deciding fact", which feedback uses to quote facts. */
export const DEFAULT_TRIGGERS: SimulatedTriggers = {
  knowledge: {
    phrase: "State the specific deciding principle that answers the question as one explicit sentence.",
    pattern: /\bdeciding principle\b/i,
  },
  query: {
    phrase: "Include the question's key term in the query.",
    pattern: /\bkey terms?\b/i,
  },
  planner: {
    phrase: "Always include knowledge_retrieval in the plan.",
    pattern: /\balways (?:include|use|run|call|add) (?:the )?knowledge[_ ]retrieval\b/i,
  },
};

/** Chameleon's module names. */
export const DEFAULT_MODULE_NAMES: SimulatedModuleNames = {
  knowledge: "knowledge_retrieval",
  query: "query_generator",
  search: "search",
  solution: "solution_generator",
  answer: "answer_extractor",
};

/** The world's triggers, defaults filled in. */
export function triggersOf(world: SimulatedWorld): SimulatedTriggers {
  return { ...DEFAULT_TRIGGERS, ...world.triggers };
}

/** The world's module names, defaults filled in. */
export function moduleNamesOf(world: SimulatedWorld): SimulatedModuleNames {
  return { ...DEFAULT_MODULE_NAMES, ...world.moduleNames };
}

/** True when `text` carries the trigger (its exact phrase, or its pattern). */
export function hasTrigger(text: string | undefined, trigger: SimulatedTrigger): boolean {
  if (!text) return false;
  return containsNormalized(text, trigger.phrase) || trigger.pattern.test(text);
}

/**
 * Lower-cases, turns every run of non-alphanumeric characters into one space and trims. Two texts that differ only in
 * case, punctuation, quotes or line breaks normalize to the same string — the model's notion of "a clear paraphrase".
 */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** Whether `needle` occurs in `haystack` after {@link normalizeText}, on word boundaries. */
export function containsNormalized(haystack: string, needle: string): boolean {
  const n = normalizeText(needle);
  return n !== "" && ` ${normalizeText(haystack)} `.includes(` ${n} `);
}

/** "A", "B", … for a choice index. */
export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** Whether knowledge retrieval omits this question's key fact (without the trigger). */
export function isHard(question: SimulatedQuestion): boolean {
  return question.hard ?? fnv1a(question.id) % 2 === 1;
}

/**
 * Finds the question `text` is about. A candidate must have its question text in `text`; among candidates, the one
 * with the most of its choices present wins, then the longest question text (so "Which is a mammal?" does not beat
 * "Which is a mammal that lays eggs?"), then world order.
 */
export function findQuestion(world: SimulatedWorld, text: string | undefined): SimulatedQuestion | undefined {
  if (!text) return undefined;
  let best: { q: SimulatedQuestion; choices: number; length: number } | undefined;
  for (const q of world.questions) {
    if (!containsNormalized(text, q.question)) continue;
    const choices = q.choices.filter((c) => containsNormalized(text, c)).length;
    const length = q.question.length;
    if (!best || choices > best.choices || (choices === best.choices && length > best.length)) best = { q, choices, length };
  }
  return best?.q;
}

/** The question whose key fact is `fact` (compared after {@link normalizeText}). */
export function findQuestionByFact(world: SimulatedWorld, fact: string): SimulatedQuestion | undefined {
  const n = normalizeText(fact);
  return world.questions.find((q) => normalizeText(q.keyFact) === n);
}

/**
 * Which choice a text selects: the last "answer is (X)" letter, else a choice equal to the whole text, else the
 * choice mentioned last. Undefined when it names none.
 */
export function selectedChoice(question: SimulatedQuestion, text: string): number | undefined {
  const letters = [...text.matchAll(/answer is:?\s*\(?([A-Z])\)?(?![a-z])/gi)];
  const letter = letters.at(-1)?.[1];
  if (letter !== undefined) {
    const index = letter.toUpperCase().charCodeAt(0) - 65;
    if (index >= 0 && index < question.choices.length) return index;
  }
  const whole = normalizeText(text);
  const exact = question.choices.findIndex((c) => normalizeText(c) === whole);
  if (exact >= 0) return exact;
  let last: { index: number; at: number } | undefined;
  const padded = ` ${whole} `;
  question.choices.forEach((c, index) => {
    const at = padded.lastIndexOf(` ${normalizeText(c)} `);
    if (at >= 0 && (!last || at > last.at)) last = { index, at };
  });
  return last?.index;
}

/** FNV-1a, so "hard" does not depend on question order. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
