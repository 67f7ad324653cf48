/**
 * @module optim/joint-update
 * TGD's `update: "joint"`: one optimizer call for all the parameters that received feedback (OptoPrime-style), instead
 * of one call each. Each parameter is shown with its id, role, full value and its digested feedback (so the request
 * stays bounded per parameter), and the reply holds one numbered section per parameter. A missing or empty section gets
 * one follow-up asking only for the missing ones; a parameter still without a section keeps its value, and that — like
 * a section that repeats the current value — is reported, never silent. No usable section at all is an
 * UpdateParseError, as in the per-parameter mode.
 */
import { UpdateParseError } from "../errors.js";
import { callEngine } from "../engine/call-engine.js";
import type { Engine } from "../engine/types.js";
import { toFeedbackItem } from "../core/feedback.js";
import type { Variable } from "../core/variable.js";
import { parseJointSections } from "../prompts/joint-update-sections.js";
import { renderJointRepairPrompt, renderJointUpdatePrompt, renderJointUpdateSystemPrompt, type JointUpdateVariable } from "../prompts/joint-update-prompt.js";
import type { PastFeedback, PastValue } from "../prompts/optimizer-prompt.js";
import { digestItems, type FeedbackDigest } from "./digest-feedback.js";

/** One parameter of a joint update, with its digested feedback and its history. */
export interface JointParameter {
  readonly parameter: Variable;
  readonly digest: FeedbackDigest;
  readonly pastValues: readonly PastValue[];
  readonly pastFeedback: readonly PastFeedback[];
}

/** What {@link proposeJoint} needs. */
export interface JointUpdateInput {
  /** The parameters with feedback, in the optimizer's order (numbered from 1 in the request). */
  readonly parameters: readonly JointParameter[];
  readonly engine: Engine;
  /** The reply's section tag name. */
  readonly tag: string;
  readonly constraints: readonly string[];
  readonly examples: readonly string[];
  /** Receives what was left unchanged and why. */
  readonly warn: (warning: string) => void;
}

/** A new value read from the joint reply. */
export interface JointValue {
  readonly parameter: Variable;
  readonly value: string;
  readonly previous: string;
  readonly digest: FeedbackDigest;
}

/**
 * Asks once (twice when sections are missing) for improved values of every parameter in `input`, and returns one value
 * per parameter whose section changes it, in input order.
 */
export async function proposeJoint(input: JointUpdateInput): Promise<JointValue[]> {
  const { parameters, engine, tag } = input;
  const names = parameters.map(({ parameter: p }) => p.id ?? p.role);
  const system = renderJointUpdateSystemPrompt(tag);
  const prompt = renderJointUpdatePrompt({ variables: parameters.map(toPromptVariable), constraints: input.constraints, examples: input.examples, tag });
  const what = `TGD joint update of ${parameters.length} parameter${parameters.length === 1 ? "" : "s"} (${names.map((n) => `"${n}"`).join(", ")})`;
  const subject = names.join(", ");
  const reply = await callEngine(engine, { system, prompt }, what, subject);
  const sections = parseJointSections(reply, tag, parameters.length);
  let last = reply;
  const missing = parameters.flatMap(({ parameter: p }, i) => (sections.has(i + 1) ? [] : [{ id: i + 1, name: names[i]!, role: p.role }]));
  if (missing.length > 0) {
    const history = [{ role: "user" as const, content: prompt }, { role: "assistant" as const, content: reply }];
    last = await callEngine(engine, { system, history, prompt: renderJointRepairPrompt(missing, tag) }, `${what} (missing sections)`, subject);
    const more = parseJointSections(last, tag, parameters.length);
    for (const { id } of missing) if (more.has(id)) sections.set(id, more.get(id)!);
  }
  if (sections.size === 0) {
    throw new UpdateParseError(
      `TGD could not read any section of the joint update of ${names.map((n) => `"${n}"`).join(", ")}: the reply had no non-empty <${tag} id="N"> section, even after one repair request. Every value was left unchanged — try a stronger model, or update: "reduced" (one call per parameter).`,
      { subject, reply: last },
    );
  }
  const values: JointValue[] = [];
  const unanswered: string[] = [];
  const unchanged: string[] = [];
  parameters.forEach(({ parameter, digest }, i) => {
    const value = sections.get(i + 1);
    const previous = parameter.value;
    if (value === undefined) unanswered.push(names[i]!);
    else if (value === previous.trim()) unchanged.push(names[i]!);
    else values.push({ parameter, value, previous, digest });
  });
  const list = (xs: readonly string[]) => xs.map((n) => `"${n}"`).join(", ");
  if (unanswered.length > 0) {
    input.warn(`TGD joint update: the reply had no section for ${list(unanswered)}, even after one repair request; ${unanswered.length === 1 ? "it keeps its" : "they keep their"} value.`);
  }
  if (unchanged.length > 0 && values.length === 0 && unanswered.length === 0) {
    input.warn(`TGD joint update changed nothing: every section repeats its parameter's current value (${list(unchanged)}), despite the feedback.`);
  } else if (unchanged.length > 0) {
    input.warn(`TGD joint update: the reply repeats the current value of ${list(unchanged)} despite the feedback; ${unchanged.length === 1 ? "it is" : "they are"} kept as ${unchanged.length === 1 ? "it is" : "they are"}.`);
  }
  return values;
}

function toPromptVariable({ parameter, digest, pastValues, pastFeedback }: JointParameter): JointUpdateVariable {
  const feedback = digest.method === "all" ? digestItems(digest, parameter.gradients) : parameter.gradients.map(toFeedbackItem);
  return {
    name: parameter.id ?? parameter.role,
    role: parameter.role,
    value: parameter.value,
    feedback,
    ...(digest.method === "all" ? {} : { points: digest.points }),
    pastValues,
    pastFeedback,
  };
}
