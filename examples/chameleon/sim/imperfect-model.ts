/**
 * @module examples/chameleon/sim/imperfect-model
 * The Chameleon simulated model with an imperfect optimizer (`optimizer-behaviour.ts`): the same rules as
 * `createChameleonModel`, except that the optimizer rule writes general, overfitting or scoped prompt proposals
 * (seeded), and the agent modules follow what those proposals say, as an instruction-following model would:
 *
 * - a note `For the question "Q", remember: F` in knowledge retrieval's prompt makes it state F on question Q (the
 *   solution generator already reasons from any F in its input, its system prompt included); on other questions a
 *   note does nothing;
 * - a scope instruction ("Follow these instructions only for S questions; … skip background and answer from the options
 *   alone.") makes the module, on a question of another subject: the planner plans only solution_generator and
 *   answer_extractor; knowledge retrieval gives no background; the query generator writes its generic query; the
 *   solution generator picks the tempting wrong option.
 *
 * With the default prompts (no notes, no scope) it answers exactly like `createChameleonModel`.
 */
import { SimulatedModel, type SimulatedModelOptions, type SimulatedRequest, type SimulatedRule } from "../../../src/testing/index.js";
import { chameleonRules, type ChameleonRole } from "./chameleon-model.js";
import { imperfectOptimizerRule, notesFor, outOfScope, type ImperfectOptimizerRule, type OptimizerBehaviourOptions } from "./optimizer-behaviour.js";
import { findQuestion, moduleNamesOf, optionLetter, type SimulatedQuestion, type SimulatedWorld } from "./simulated-world.js";

/** The model, and the optimizer rule whose `decisions` log what each prompt proposal was. */
export interface ImperfectChameleonModel {
  readonly model: SimulatedModel<ChameleonRole>;
  readonly optimizer: ImperfectOptimizerRule;
}

/**
 * Builds the Chameleon model with the imperfect optimizer.
 *
 * @example
 * const { model, optimizer } = createImperfectChameleonModel(chameleonWorld, { seed: 1 });
 * const agent = createChameleon({ model: new SimulatedChatModel(model) });
 * // … optimize(…, engine: model) … then optimizer.decisions lists general / overfit / scoped proposals
 */
export function createImperfectChameleonModel(
  world: SimulatedWorld,
  options: OptimizerBehaviourOptions & SimulatedModelOptions = {},
): ImperfectChameleonModel {
  const optimizer = imperfectOptimizerRule(world, options);
  const rules = chameleonRules(world).map((rule) => (rule.role === "optimizer" ? optimizer : followProposals(world, rule)));
  return { model: new SimulatedModel(rules, options), optimizer };
}

/** Wraps an agent module's rule so it follows notes and scope instructions in its system prompt. */
function followProposals(world: SimulatedWorld, rule: SimulatedRule<ChameleonRole>): SimulatedRule<ChameleonRole> {
  const follow = OUT_OF_SCOPE[rule.role];
  if (!follow) return rule;
  return {
    ...rule,
    reply: (request: SimulatedRequest) => {
      const q = findQuestion(world, request.prompt);
      if (!q) return rule.reply(request);
      if (outOfScope(request.system, q)) return follow(world, q);
      const text = rule.reply(request);
      const notes = rule.role === "knowledge_retrieval" ? notesFor(request.system, q).filter((f) => !text.includes(f)) : [];
      return [text, ...notes.map((f) => `- ${f}`)].join("\n");
    },
  };
}

/** What each agent module does on a question its prompt's scope instruction leaves out. */
const OUT_OF_SCOPE: Partial<Record<ChameleonRole, (world: SimulatedWorld, q: SimulatedQuestion) => string>> = {
  planner: (world) => JSON.stringify([moduleNamesOf(world).solution, moduleNamesOf(world).answer]),
  knowledge_retrieval: () => "- No specific background knowledge is needed.",
  query_generator: (_world, q) => `${q.topic ?? q.subject} overview`,
  solution_generator: (_world, q) =>
    `Answering from the options alone, "${q.choices[q.distractor]}" looks like the best fit.\nThe answer is (${optionLetter(q.distractor)}).`,
};
