/**
 * @module examples/chameleon/sim/textgrad-roles
 * How the simulated model plays TextGrad's own roles: the evaluator (a TextLoss), the backward engine, the optimizer
 * and the feedback reducer. The last three receive the request already parsed by `readTextgradRequest` from
 * `tracegrad/testing`, which reads tags only.
 *
 * Only the evaluator uses ground truth; it stands in for a strong judge or a unit test. The backward engine and the
 * reducer read nothing but the feedback they are shown, and the optimizer reads nothing but its `<FEEDBACK>` blocks
 * (it consults the world only to turn a fact it was given into the option that fact supports). So a fact reaches a
 * variable only if the graph carried it there — which is exactly what tests of backpropagation need.
 */
import {
  formatUpdate,
  type SimulatedRequest,
  type TextgradBackwardRequest,
  type TextgradOptimizerRequest,
  type TextgradReduceRequest,
} from "../../../src/testing/index.js";
import { solutionFromFact } from "./agent-roles.js";
import { extractCorrectAnswers, extractFacts, missingFactSentence, modulesNotRun, NO_CHANGES, notRunSentence, quoted } from "./feedback-text.js";
import {
  containsNormalized,
  findQuestion,
  findQuestionByFact,
  hasTrigger,
  moduleNamesOf,
  normalizeText,
  selectedChoice,
  triggersOf,
  type SimulatedTrigger,
  type SimulatedWorld,
} from "./simulated-world.js";

/**
 * Evaluator (oracle). Finds the question in the system prompt (else the user prompt), reads which option the user
 * prompt selects, and replies `The answer "X" is correct.` or
 * `The answer "X" is incorrect; the correct answer is "Y". The deciding fact is missing: "F".`
 */
export function replyAsEvaluator(world: SimulatedWorld, request: SimulatedRequest): string {
  const q = findQuestion(world, request.system) ?? findQuestion(world, request.prompt);
  if (!q) return "I cannot evaluate this answer: the question is not one I know.";
  const chosen = selectedChoice(q, request.prompt);
  const shown = chosen === undefined ? firstLine(request.prompt) : q.choices[chosen]!;
  if (chosen === q.answer) return `The answer "${shown}" is correct.`;
  return `The answer "${shown}" is incorrect; the correct answer is ${quoted(q.choices[q.answer]!)} ${missingFactSentence(q.keyFact)}`;
}

/**
 * Backward engine. Reads the variable's `<ROLE>` and the feedback it is shown, and nothing else (not the variable,
 * not the exchange's input, not the world): in chain mode the `<OBJECTIVE_FUNCTION>` (downstream feedback); in
 * evaluation mode, which has no objective block, the evaluation in `<LM_OUTPUT>` or `<OUTPUT_OF_FUNCTION>`. For each
 * quoted deciding fact F it says what the variable should do, by its role: a prompt or instruction should carry its
 * module's trigger instruction; a plan should include knowledge_retrieval; a query should search for F; any other
 * output should state F. No fact: "No changes needed."
 *
 * A plan asked about its choices (tracegrad's control-feedback prompt, which lists the modules that did not run) is
 * blamed only when knowledge retrieval is among them: "knowledge_retrieval did not run; the deciding fact was missing:
 * "F"". When knowledge retrieval ran, the fact went missing inside a module, and the plan needs no change.
 */
export function replyAsBackward(world: SimulatedWorld, request: TextgradBackwardRequest, raw?: SimulatedRequest): string {
  const role = request.role ?? "variable";
  const shown = request.feedback.join("\n");
  const facts = extractFacts(shown);
  if (facts.length === 0) return NO_CHANGES;
  const kind = variableKind(role);
  const knowledge = moduleNamesOf(world).knowledge;
  // a plan asked about its choices: to blame only when the module that supplies facts is among those that did not run
  const notRun = modulesNotRun(raw?.prompt);
  if (notRun !== undefined) {
    if (!notRun.some((m) => normalizeText(m) === normalizeText(knowledge))) return NO_CHANGES;
    return facts.map((f) => notRunSentence(knowledge, f)).join("\n");
  }
  if (kind === "prompt") {
    const trigger = promptTrigger(world, role);
    return [`The ${role} should ${triggerPurpose(world, trigger)}. Add the instruction: "${trigger.phrase}"`,
      ...facts.map((f) => `Without it, the deciding fact is missing: ${quoted(f)}`)].join("\n");
  }
  const perFact = facts.map((f) => {
    if (kind === "plan") return `The ${role} should include ${knowledge} so that the deciding fact is retrieved: ${quoted(f)}`;
    if (kind === "query") return `The ${role} should search for the deciding fact: ${quoted(f)}`;
    return `The ${role} should state the deciding fact: ${quoted(f)}`;
  });
  const answers = extractCorrectAnswers(shown).map((a) => `The correct answer is ${quoted(a)}`);
  return [...perFact, ...answers].join("\n");
}

/**
 * Optimizer. Reads `<ROLE>`, the current value in `<VARIABLE>` and the `<FEEDBACK>` blocks (not the exchanges
 * around them), and replies with the value between the requested update tags (default `<IMPROVED_VARIABLE>`). With
 * no fact and no trigger in the feedback the value comes back unchanged. A prompt gets the trigger instructions the feedback names (or its role's trigger); a plan gets
 * knowledge_retrieval; a query gets the fact's words; a solution is rewritten to reason from the fact to the option it
 * supports; a final answer becomes that option; any other text gets the fact appended.
 */
export function replyAsOptimizer(world: SimulatedWorld, request: TextgradOptimizerRequest): string {
  const value = improve(world, request.role ?? "variable", request.variable ?? "", request.feedback.join("\n"));
  return formatUpdate(value, request.tags);
}

/**
 * Reducer (summarises several `<FEEDBACK>` blocks). Keeps every distinct fact, trigger instruction and correct answer
 * the blocks quote, in order; "No changes needed." when there are none.
 */
export function replyAsReducer(world: SimulatedWorld, request: TextgradReduceRequest): string {
  const feedback = request.feedback.join("\n");
  const lines = [
    ...extractFacts(feedback).map(missingFactSentence),
    ...mentionedTriggers(world, feedback).map((t) => `Add the instruction: "${t.phrase}"`),
    ...extractCorrectAnswers(feedback).map((a) => `The correct answer is ${quoted(a)}`),
  ];
  return lines.length > 0 ? lines.join("\n") : NO_CHANGES;
}

/** What kind of variable a role describes; decides what feedback and updates look like. */
export type VariableKind = "prompt" | "plan" | "query" | "solution" | "answer" | "text";

/**
 * Classifies a `<ROLE>` text. Prompts first, because "system prompt of the query generator" is a prompt — but not
 * "output of the function that writes the prompt", which is an output.
 */
export function variableKind(role: string): VariableKind {
  // No trailing word boundaries: traced roles often use function names such as "queryGenerator".
  if (/prompt|instruction/i.test(role) && !/^\s*(?:the\s+)?(?:output|response|result|reply)\b/i.test(role)) return "prompt";
  if (/\bplan|\bpolicy|\bmodules\b|module list/i.test(role)) return "plan";
  if (/solution|rationale|reasoning/i.test(role)) return "solution";
  if (/\bquery/i.test(role)) return "query";
  if (/\banswer/i.test(role)) return "answer";
  return "text";
}

function improve(world: SimulatedWorld, role: string, value: string, feedback: string): string {
  const facts = extractFacts(feedback);
  const named = mentionedTriggers(world, feedback);
  let kind = variableKind(role);
  // A text that ends like a solution is one, whatever its role says.
  if ((kind === "text" || kind === "answer") && /answer is:?\s*\(?[A-Z]\)?(?![a-z])/i.test(value)) kind = "solution";
  if (kind === "prompt") {
    const triggers = named.length > 0 ? named : facts.length > 0 ? [promptTrigger(world, role)] : [];
    return triggers.reduce((v, t) => (hasTrigger(v, t) ? v : `${v.trimEnd()}\n${t.phrase}`), value);
  }
  if (facts.length === 0) return value;
  const question = facts.map((f) => findQuestionByFact(world, f)).find((q) => q !== undefined);
  switch (kind) {
    case "plan":
      return addKnowledgeToPlan(value, moduleNamesOf(world).knowledge);
    case "query":
      return [value, ...facts.filter((f) => !containsNormalized(value, f))].join(" ");
    case "solution":
      if (question) return solutionFromFact(question);
      return `${facts.join("\n")}\n${value}`;
    case "answer":
      return question ? question.choices[question.answer]! : value;
    default: {
      const missing = facts.filter((f) => !containsNormalized(value, f));
      const bullet = /^\s*[-*] /m.test(value) ? "- " : "";
      return [value.trimEnd(), ...missing.map((f) => `${bullet}${f}`)].filter((l) => l !== "").join("\n");
    }
  }
}

function addKnowledgeToPlan(plan: string, knowledge: string): string {
  const names = [...plan.matchAll(/["']([A-Za-z_]+)["']/g)].map((m) => m[1]!);
  if (names.some((n) => n.toLowerCase() === knowledge)) return plan;
  return JSON.stringify([knowledge, ...names]);
}

function promptTrigger(world: SimulatedWorld, role: string): SimulatedTrigger {
  const triggers = triggersOf(world);
  if (/\bplan|planner|policy/i.test(role)) return triggers.planner;
  if (/\bquery/i.test(role)) return triggers.query;
  return triggers.knowledge;
}

function triggerPurpose(world: SimulatedWorld, trigger: SimulatedTrigger): string {
  const triggers = triggersOf(world);
  if (trigger === triggers.planner) return `make the planner run ${moduleNamesOf(world).knowledge} for every question`;
  if (trigger === triggers.query) return "make the query name the question's key term";
  return "tell the model to state the deciding principle explicitly";
}

/** The world's triggers whose exact phrase the text contains (prose that merely resembles a trigger does not count). */
function mentionedTriggers(world: SimulatedWorld, text: string): SimulatedTrigger[] {
  const t = triggersOf(world);
  return [t.knowledge, t.query, t.planner].filter((trigger) => containsNormalized(text, trigger.phrase));
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return (line.length > 80 ? `${line.slice(0, 77)}...` : line).replace(/"/g, "'");
}
