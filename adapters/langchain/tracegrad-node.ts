/**
 * @module adapters/langchain/tracegrad-node
 * A LangGraph node as a tracegrad module: `traceModule` with node defaults, typed so that `addNode` still infers
 * the state (the wrapper has exactly the node function's type).
 */
import { traceModule, type Variable } from "../../src/trace/adapter-kit.js";
import { langGraphNodeOutputRole } from "../../src/prompts/default-roles.js";

/** Options of {@link tracegradNode}. */
export interface TracegradNodeOptions {
  /** Trainable prompts the node reads (a `param()` read inside the node is recorded anyway). */
  readonly params?: readonly Variable[];
  /** What the node's update is. Default: `state update of the LangGraph node "<name>"`. */
  readonly role?: string;
}

/**
 * Wraps a LangGraph node function as the traced module `name`: its state update is a graph node that refinement can
 * edit and replay (the update keeps its shape: messages stay messages). Same signature and return value as `fn`.
 *
 * @throws InvalidArgumentError when `name` is blank or `fn` is not a function (from traceModule).
 *
 * @example
 * const graph = new StateGraph(MessagesAnnotation)
 *   .addNode("researcher", tracegradNode("researcher", async (state) => ({ messages: [await model.invoke(state.messages)] })))
 *   .addEdge(START, "researcher")
 *   .compile();
 */
export function tracegradNode<A extends [state: any, ...rest: any[]], R>(name: string, fn: (...args: A) => R, options: TracegradNodeOptions = {}): (...args: A) => R {
  return traceModule(name, fn, {
    kind: "module",
    role: options.role ?? langGraphNodeOutputRole(name),
    ...(options.params !== undefined ? { params: options.params } : {}),
  });
}
