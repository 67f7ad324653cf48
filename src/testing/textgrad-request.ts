/**
 * @module testing/textgrad-request
 * Recognises tracegrad's own requests — backward (feedback for one variable), optimizer (an improved value) and
 * reduce (several pieces of feedback summarised) — so a {@link SimulatedModel} can script those roles next to the
 * agent's. It reads tags only (the names in `prompts/tags.ts` and the update tags), never the prose around them, so
 * rewording a template does not break a test.
 */
import { extractAllTagged, FEEDBACK_TAG, LM_OUTPUT_TAG, OBJECTIVE_FUNCTION_TAG, OUTPUT_OF_FUNCTION_TAG, ROLE_TAG, VARIABLE_TAG } from "../prompts/tags.js";
import { DEFAULT_UPDATE_TAGS, type UpdateTags } from "../prompts/update-tags.js";
import { FEEDBACK_FOR_TAG, renderFeedbackSection } from "../prompts/feedback-sections.js";
import type { SimulatedRequest, SimulatedRule } from "./simulated-rule.js";

/** A backward request: what the variable is, and the feedback it is shown. */
export interface TextgradBackwardRequest {
  readonly kind: "backward";
  /** The variable's `<ROLE>`, if the request has one (the first variable's, when the request asks about several). */
  readonly role: string | undefined;
  /**
   * Only when one call asks for feedback on several variables (all the trainable inputs of a node): their roles, in
   * order. The reply then needs one `FEEDBACK_FOR` section per variable — {@link textgradRule} writes them for you.
   */
  readonly roles?: readonly string[];
  /** "chain": feedback arrived from downstream (`<OBJECTIVE_FUNCTION>`); "evaluation": the variable was evaluated. */
  readonly mode: "chain" | "evaluation";
  /** Chain mode: the `<OBJECTIVE_FUNCTION>` blocks; evaluation mode: the evaluation (`<LM_OUTPUT>`, `<OUTPUT_OF_FUNCTION>`). */
  readonly feedback: readonly string[];
}

/** An optimizer request: the variable, the feedback on it, and the tags the reply must wrap the new value in. */
export interface TextgradOptimizerRequest {
  readonly kind: "optimizer";
  readonly role: string | undefined;
  /** The current value (`<VARIABLE>`, user prompt first), if shown. */
  readonly variable: string | undefined;
  /** The `<FEEDBACK>` blocks, in order. */
  readonly feedback: readonly string[];
  /** Reply with {@link formatUpdate}(value, tags). */
  readonly tags: UpdateTags;
}

/** A reduce request: several pieces of feedback on one variable, to be summarised into one. */
export interface TextgradReduceRequest {
  readonly kind: "reduce";
  readonly role: string | undefined;
  /** The `<FEEDBACK>` blocks, in order. */
  readonly feedback: readonly string[];
}

/** One of tracegrad's own requests, by kind. */
export type TextgradRequest = TextgradBackwardRequest | TextgradOptimizerRequest | TextgradReduceRequest;

/**
 * Reads a request as one of tracegrad's own, or undefined for any other request (an agent's). Checked from the most
 * to the least certain signal, because backward and reduce prompts quote other exchanges:
 * 1. optimizer — the request names update tags: `<IMPROVED_VARIABLE>`, or a custom pair "between <X> and </X>";
 * 2. reduce — complete `<FEEDBACK>` blocks and the words summarise/aggregate/combine/reduce;
 * 3. backward — a complete `<ROLE>` block and an `<OBJECTIVE_FUNCTION>`, `<LM_OUTPUT>` or `<OUTPUT_OF_FUNCTION>` block.
 *
 * @example
 * const request = readTextgradRequest({ system, prompt });
 * if (request?.kind === "optimizer") reply = formatUpdate(`${request.variable} Be concise.`, request.tags);
 */
export function readTextgradRequest(request: SimulatedRequest): TextgradRequest | undefined {
  const both = `${request.system ?? ""}\n${request.prompt ?? ""}`;
  const role = extractAllTagged(both, ROLE_TAG)[0];
  const tags = readUpdateTags(both);
  if (tags) {
    const variable = extractAllTagged(request.prompt ?? "", VARIABLE_TAG)[0] ?? extractAllTagged(request.system ?? "", VARIABLE_TAG)[0];
    return { kind: "optimizer", role, variable, feedback: extractAllTagged(both, FEEDBACK_TAG), tags };
  }
  const feedback = extractAllTagged(both, FEEDBACK_TAG);
  if (feedback.length > 0 && /summari[sz]|aggregat|combin|reduc/i.test(both)) return { kind: "reduce", role, feedback };
  if (role === undefined) return undefined;
  const objective = extractAllTagged(both, OBJECTIVE_FUNCTION_TAG);
  const evaluation = [...extractAllTagged(both, LM_OUTPUT_TAG), ...extractAllTagged(both, OUTPUT_OF_FUNCTION_TAG)];
  const roles = backwardRoles(request.prompt ?? "");
  const several = roles.length > 1 ? { roles } : {};
  if (objective.length > 0) return { kind: "backward", role, ...several, mode: "chain", feedback: objective };
  if (evaluation.length > 0) return { kind: "backward", role, ...several, mode: "evaluation", feedback: evaluation };
  return undefined;
}

/**
 * The roles a multi-variable backward prompt asks about: as many `<ROLE>` blocks as its reply format has
 * `FEEDBACK_FOR` sections (the format is written last, so its highest id is the number of variables); [] otherwise.
 */
function backwardRoles(prompt: string): string[] {
  const ids = [...prompt.matchAll(new RegExp(`<${FEEDBACK_FOR_TAG} id="(\\d+)">`, "g"))].map((m) => Number(m[1]));
  if (ids.length === 0) return [];
  return extractAllTagged(prompt, ROLE_TAG).slice(0, Math.max(...ids));
}

/**
 * A {@link SimulatedRule} for one kind of tracegrad request, counted under that kind. `reply` gets the parsed request
 * (and the raw one). A backward request about several variables is answered by calling `reply` once per variable
 * (with that variable's `role`) and joining the answers as one `FEEDBACK_FOR` section each.
 *
 * @example
 * const model = new SimulatedModel([
 *   textgradRule("backward", (request) => `The ${request.role} should name the city.`),
 *   textgradRule("optimizer", (request) => formatUpdate("Helena", request.tags)),
 *   { role: "agent", matches: () => true, reply: () => "Billings" },
 * ]);
 */
export function textgradRule<K extends TextgradRequest["kind"]>(
  kind: K,
  reply: (request: Extract<TextgradRequest, { kind: K }>, raw: SimulatedRequest) => string,
): SimulatedRule<K> {
  return {
    role: kind,
    matches: (raw) => readTextgradRequest(raw)?.kind === kind,
    reply: (raw) => {
      const request = readTextgradRequest(raw) as Extract<TextgradRequest, { kind: K }>;
      const parsed: TextgradRequest = request;
      if (parsed.kind !== "backward" || parsed.roles === undefined) return reply(request, raw);
      const one = (role: string) => reply({ ...parsed, role } as Extract<TextgradRequest, { kind: K }>, raw);
      return parsed.roles.map((role, i) => renderFeedbackSection(i + 1, one(role))).join("\n");
    },
  };
}

/**
 * An optimizer reply: `value` between the update tags the request asked for (default `<IMPROVED_VARIABLE>`).
 *
 * @example
 * formatUpdate("Be concise."); // "<IMPROVED_VARIABLE>\nBe concise.\n</IMPROVED_VARIABLE>"
 */
export function formatUpdate(value: string, tags: UpdateTags = DEFAULT_UPDATE_TAGS): string {
  return `${tags.start}\n${value}\n${tags.end}`;
}

/**
 * The update tags a request names: `<IMPROVED_VARIABLE>` when mentioned, else a custom pair named as
 * "between <X> and </X>" (the optimizer system prompt names the caller's tags; feedback prompts never do).
 */
function readUpdateTags(text: string): UpdateTags | undefined {
  if (text.includes(DEFAULT_UPDATE_TAGS.start)) return DEFAULT_UPDATE_TAGS;
  const custom = /between\s+<([A-Za-z_][\w-]*)>\s+and\s+<\/\1>/.exec(text);
  return custom ? { start: `<${custom[1]}>`, end: `</${custom[1]}>` } : undefined;
}
