/**
 * @module trace/run-input
 * The text of a run's input node. The run span's own input when it has one; otherwise what the top-level calls were
 * given from outside — not whatever the first call happened to receive. An agent that first looks up a fixed topic
 * ("boiling water") and then answers the user's question was given the question: it is the longest text a top-level
 * call read that neither an earlier call produced nor quotes what one produced (as a conversation history does).
 */
import { matchableText } from "./content-index.js";
import type { CallNode } from "./infer-edges.js";
import type { ModuleCall } from "./module-call.js";
import { lastMessageText } from "./state-output.js";

/** Outputs shorter than this ("A", "yes") are not taken as quoted when a longer text contains them. */
const QUOTED_MIN = 12;

/** The input node's text for a run whose top-level calls are `top` (in start order). */
export function runInputText(top: readonly CallNode[], runCall: ModuleCall | undefined): string {
  if (runCall?.input) return runCall.input;
  const first = top[0];
  if (!first) return "";
  const produced: string[] = [];
  // exact repeats (an argument that is an earlier call's output) are found here without scanning every output
  const producedSet = new Set<string>();
  let best: { text: string; length: number } | undefined;
  for (const n of top) {
    // an argument list ["question", "notes from an earlier call"]: its own parts count, not the earlier call's
    const parts = argumentList(n.call.input) ?? [n.call.input];
    for (const part of parts) {
      const norm = matchableText(part);
      // only a new longest text can change the answer: the scan of earlier outputs below is skipped for the rest
      // (run on every part, it was quadratic in the top-level calls: 19% of building a 10k-span graph)
      if (norm === "" || (best && norm.length <= best.length)) continue;
      // a text an earlier call wrote, or one that quotes it (a conversation history), came from inside the run
      if (producedSet.has(norm) || quotesOrIsQuoted(norm, produced)) continue;
      best = { text: parts.length > 1 ? part : n.call.input, length: norm.length };
    }
    if (n.output !== "" && !producedSet.has(n.output)) {
      produced.push(n.output);
      producedSet.add(n.output);
    }
  }
  const text = best?.text ?? first.call.input;
  // a graph run given { messages: [...] } (LangGraph) was given its last message: the question, not the state's JSON
  return stateMessage(text) ?? text;
}

/** Whether an earlier output contains `norm`, or `norm` quotes one (latest first: a history quotes the last reply). */
function quotesOrIsQuoted(norm: string, produced: readonly string[]): boolean {
  for (let i = produced.length - 1; i >= 0; i--) {
    const p = produced[i]!;
    if (p.length >= norm.length ? p.includes(norm) : p.length >= QUOTED_MIN && norm.includes(p)) return true;
  }
  return false;
}

/** The last message's text of a `{ messages }` state, or of one given as the first argument. */
function stateMessage(text: string): string | undefined {
  const direct = lastMessageText(text);
  if (direct !== undefined || !/^\s*\[/.test(text)) return direct;
  try {
    const value: unknown = JSON.parse(text);
    // a node's arguments are (state, config): the state comes first
    return Array.isArray(value) && value.length > 0 ? lastMessageText(JSON.stringify(value[0])) : undefined;
  } catch {
    return undefined;
  }
}

/** The string elements of a JSON array of two or more arguments; undefined for anything else. */
function argumentList(text: string): string[] | undefined {
  if (!/^\s*\[/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || value.length < 2) return undefined;
    const strings = value.filter((v): v is string => typeof v === "string");
    return strings.length > 0 ? strings : undefined;
  } catch {
    return undefined;
  }
}
