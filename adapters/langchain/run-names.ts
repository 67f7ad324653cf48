/**
 * @module adapters/langchain/run-names
 * Module names and roles of runs from their place in a LangGraph run: an LLM call inside node "researcher" is the
 * module `researcher.model`, an agent is named by createAgent's `name`, else by the tool that invoked it or its node path.
 * Without this every model call reads `chat gpt-4o-mini` and every unnamed agent `invoke_agent LangGraph`.
 */
import type { Run } from "@langchain/core/tracers/base";
import { langGraphNodeModelRole } from "../../src/prompts/default-roles.js";
import { givenAgentNameOf, langGraphNodeOf, type RunKind } from "./run-attributes.js";

/** What naming needs of an enclosing run the tracer has open. */
export interface EnclosingRun {
  readonly kind: RunKind;
  readonly moduleId: string;
}

/** A run's module name and (when its place says more than the default) role. */
export interface RunName {
  readonly moduleId: string;
  readonly role?: string;
}

/** createAgent's node that calls the model: its calls are named after the agent, not the node. */
const AGENT_MODEL_NODE = "model_request";

/**
 * The module name of a run not named by a parameter scope. `ancestors`: the enclosing open runs, nearest first.
 * Metadata is inherited by nested runs, so an `lc_agent_name` equal to an enclosing agent's is that agent's, not this one's.
 */
export function runNameOf(run: Run, kind: RunKind, ancestors: readonly EnclosingRun[]): RunName {
  if (kind === "agent") {
    const outerAgent = ancestors.find((a) => a.kind === "agent");
    const given = givenAgentNameOf(run);
    if (given !== undefined && given !== outerAgent?.moduleId) return { moduleId: given };
    const parent = ancestors[0];
    if (parent?.kind === "tool") return { moduleId: parent.moduleId };
    if (outerAgent === undefined && given !== undefined) return { moduleId: given };
    const node = outerAgent ? undefined : langGraphNodeOf(run);
    return { moduleId: node ?? given ?? run.name };
  }
  if (kind !== "llm") return { moduleId: run.name };
  const node = langGraphNodeOf(run);
  if (node === undefined) return { moduleId: run.name };
  const leaf = node.slice(node.lastIndexOf("/") + 1);
  const agent = ancestors.find((a) => a.kind === "agent");
  if (leaf === AGENT_MODEL_NODE && agent !== undefined) {
    return { moduleId: `${agent.moduleId}.model`, role: langGraphNodeModelRole(`${agent.moduleId}/${AGENT_MODEL_NODE}`) };
  }
  // `.model` keeps the id apart from a traceModule/tracegradNode wrapping the same node (ids key replay and call indexes)
  return { moduleId: `${node}.model`, role: langGraphNodeModelRole(node) };
}
