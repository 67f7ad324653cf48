/**
 * @module trace/build-graph
 * Turns a trace (SDK spans, OTLP JSON, or ModuleCall records) into a computation graph whose nodes are Variables
 * with the same backward rules a hand-built pipeline would have: LLM calls send feedback through the conversation
 * they had, modules and tools through the string-function rule, and a module that merely returns its LLM's answer
 * passes feedback through unchanged.
 */
import type { Variable } from "../core/variable.js";
import { RUN_SPAN_NAME, TG } from "./attributes.js";
import { matchableText, normalizeText } from "./content-index.js";
import { CONFIDENCE, encloses, inferCallEdges, type CallNode } from "./infer-edges.js";
import { EdgeSet } from "./edge-set.js";
import { paramEdges } from "./param-edges.js";
import { controlEdges } from "./control-edges.js";
import { GraphNumbering } from "./graph-numbering.js";
import { buildVariables } from "./graph-variables.js";
import { runInputText } from "./run-input.js";
import { foldWrapperModules } from "./wrapper-modules.js";
import type { GraphEdge, GraphNode, ModuleCall, TraceGraph } from "./module-call.js";
import type { OtlpJson } from "./otlp.js";
import { readTraceInput, type TraceInput } from "./read-input.js";
import type { SpanLike } from "./span-like.js";
import { lastMessageText } from "./state-output.js";
import { stitchTraces } from "./stitch-traces.js";
import { untangleCalls } from "./untangle-calls.js";
import { conversationSteps, HISTORY_EDGES, linkedSteps, markContextEdges, type ConversationStep, type HistoryEdges } from "./history-edges.js";
import { InvalidArgumentError } from "../errors.js";
import { IdTable, type IdLookup } from "./id-map.js";

/** Options of {@link buildGraph}. */
export interface BuildGraphOptions {
  /** The run's live parameters by id, so the graph hands back (and an optimizer updates) the user's own Variables. */
  readonly params?: ReadonlyMap<string, Variable>;
  /** Whether call outputs take feedback (needed to refine outputs). Default true; false keeps only prompts trainable. */
  readonly outputsRequireGrad?: boolean;
  /**
   * Drops edges before Variables are built, e.g. to cut a path on purpose. Return true to drop. `ends` gives the
   * edge's nodes, so a rule can name modules rather than span ids (which change from run to run).
   */
  readonly dropEdge?: (edge: GraphEdge, ends: { readonly from: GraphNode; readonly to: GraphNode }) => boolean;
  /** Receives each warning as it is found (they are also returned on the graph). */
  readonly onWarning?: (warning: string) => void;
  /**
   * The text of the run's final output when known (trace() passes the live value); used as the output node's value
   * instead of the recorded span text, which may be truncated.
   */
  readonly output?: string;
  /**
   * How edges from a conversation's history are treated. `"context"` (default): a model call that reads the history
   * its previous step already read gets feedback-carrying edges only from that step and from what is new since it
   * (the rest are context edges, `carriesFeedback: false`), and its backward call is shown the new part of the
   * conversation; feedback on earlier steps travels along the chain. `"feedback"`: every edge carries feedback and
   * backward sees the whole history each time (quadratic in an agent loop's steps; the behaviour before #9).
   */
  readonly historyEdges?: HistoryEdges;
}

export type { TraceInput } from "./read-input.js";

/**
 * Rebuilds the computation graph of a traced run from spans (SDK `ReadableSpan`s or {@link fromOtlpJson} output).
 * Problems in single spans are warnings on the graph; the graph is built from the rest.
 *
 * @example
 * const graph = buildGraph(exporter.getFinishedSpans());
 * const loss = await new TextLoss("Is the answer correct?", { engine }).forward(graph.output);
 * await loss.backward({ engine });
 */
export function buildGraph(spans: readonly SpanLike[], options?: BuildGraphOptions): TraceGraph;
/**
 * Rebuilds the computation graph from ModuleCall records (as {@link readCalls} returns them).
 *
 * @throws TraceFormatError naming the record and field when a record is malformed.
 */
export function buildGraph(calls: readonly ModuleCall[], options?: BuildGraphOptions): TraceGraph;
/**
 * Rebuilds the computation graph from OTLP JSON: a parsed document, several documents, or the text of a document
 * or of a JSON-lines file.
 *
 * @example
 * const graph = buildGraph(readFileSync("trace.otlp.json", "utf8"));
 * @throws TraceFormatError naming the path of the first malformed field.
 */
export function buildGraph(otlp: OtlpJson | readonly OtlpJson[] | string, options?: BuildGraphOptions): TraceGraph;
export function buildGraph(input: TraceInput, options: BuildGraphOptions = {}): TraceGraph {
  const history = options.historyEdges ?? "context";
  if (!HISTORY_EDGES.includes(history)) {
    throw new InvalidArgumentError(`buildGraph(): historyEdges must be ${HISTORY_EDGES.map((h) => `"${h}"`).join(" or ")} (got ${JSON.stringify(history)}).`, { subject: "historyEdges" });
  }
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    options.onWarning?.(w);
  };
  const read = readTraceInput(input, warn);
  const calls = stitchTraces(untangleCalls(read.calls, warn), warn);
  const links = read.links;
  // on a start-time tie the longer call first: a parent and its first child can start in the same millisecond
  const ordered = inStartOrder(calls);
  const runCall = ordered.find((c) => c.name === RUN_SPAN_NAME || c.attributes[TG.kind] === "run");
  // one map of the calls and one of the call nodes by span id, each shared by every step that looks one up: at 100k
  // spans, filling a Map costs about a microsecond per entry, more than most steps spend on a span
  const bySpan = new IdTable<ModuleCall>(ordered.length);
  for (const c of ordered) bySpan.set(c.spanId, c);
  // without tracegrad's run span (a third-party trace), the root call that ended last holds the final output
  const finalCall = runCall ?? lastRoot(ordered, bySpan);
  const { list: nodes, nodeOf } = callNodes(ordered, bySpan, runCall, warn);
  const edges = new EdgeSet();
  inferCallEdges(nodes, nodeOf, links, edges);

  // a model call named by its module (LangGraph's "researcher.model") says more than its span name ("chat gpt-4o-mini")
  const graphNodes: GraphNode[] = nodes.map((n) => ({ id: n.id, kind: n.kind, name: (n.kind === "llm" && n.call.moduleId) || n.call.name, value: n.call.output, spanId: n.id }));
  const params = paramEdges(nodes, nodeOf, ordered, options.params, edges, graphNodes);
  const top = nodes.filter((n) => !n.parent);
  inputEdges(nodes, top, runCall, edges, graphNodes);
  outputEdge(top, finalCall, edges, graphNodes, options.output, nodes);
  if (nodes.length === 0) warn("the trace has no module, LLM or tool calls; the graph holds only its output");

  const identity = retargetIdentityModules(nodes, edges);
  foldWrapperModules(nodes, edges, identity);
  const plans = controlEdges(nodes, edges);
  // graph nodes by index: the calls' nodes first, in the order of `nodes`, then parameters, input and output
  const numbering = new GraphNumbering(graphNodes, nodeOf);
  const drop = options.dropEdge;
  const all = drop ? edges.all().filter((e) => !drop(e, { from: numbering.nodeOf(e.from)!, to: numbering.nodeOf(e.to)! })) : edges.all();
  // a conversation's history read again by each later step is context; feedback goes along the chain of steps
  const steps = history === "context" ? linkedSteps(conversationSteps(nodes), all) : new Map<CallNode, ConversationStep>();
  const kept = markContextEdges(all, steps);
  const trainableOutputs = options.outputsRequireGrad ?? true;
  const variables = buildVariables({ numbering, kept: kept.filter((e) => e.carriesFeedback !== false), nodes, identity, params, trainableOutputs, warn, steps, plans });
  const output = variables.get("output")!;
  const parameters = [...params.values()].filter((v) => v.requiresGrad);
  return {
    nodes: graphNodes,
    edges: kept,
    output,
    parameters,
    variables,
    calls: ordered,
    warnings,
  };
}

const byStart = (a: ModuleCall, b: ModuleCall) => a.startTime - b.startTime || b.endTime - a.endTime;

/** The calls by start time, the longer first on a tie; read calls mostly come in that order, and need no sorted copy. */
function inStartOrder(calls: readonly ModuleCall[]): readonly ModuleCall[] {
  for (let i = 1; i < calls.length; i++) if (byStart(calls[i - 1]!, calls[i]!) > 0) return [...calls].sort(byStart);
  return calls;
}

function lastRoot(calls: readonly ModuleCall[], bySpan: IdLookup<ModuleCall>): ModuleCall | undefined {
  let last: ModuleCall | undefined;
  for (const c of calls) if ((!c.parentSpanId || !bySpan.has(c.parentSpanId)) && (!last || c.endTime >= last.endTime)) last = c;
  return last;
}

const NODE_KIND: Partial<Record<ModuleCall["kind"], CallNode["kind"]>> = {
  module: "module",
  agent: "module",
  llm: "llm",
  tool: "tool",
  retriever: "tool",
  unknown: "module",
};

/** A call node with its index in the graph's node list. */
interface NumberedNode extends CallNode {
  readonly index: number;
}

/**
 * The calls that become nodes, by span id, in the calls' order (each numbered by its place in that order), each
 * linked to its nearest enclosing node.
 */
function callNodes(calls: readonly ModuleCall[], bySpan: IdLookup<ModuleCall>, runCall: ModuleCall | undefined, warn: (w: string) => void): { list: NumberedNode[]; nodeOf: IdTable<NumberedNode> } {
  const list: NumberedNode[] = [];
  const nodes = new IdTable<NumberedNode>(calls.length);
  for (const call of calls) {
    const kind = NODE_KIND[call.kind];
    if (!kind || call === runCall) continue;
    if (call.kind === "unknown" && call.input === "" && call.output === "") continue;
    const inputOnly = matchableText(call.input);
    const node: NumberedNode = {
      index: list.length,
      id: call.spanId,
      call,
      kind,
      parent: undefined,
      children: [],
      output: matchableText(call.output),
      input: call.kind === "llm" && call.system ? joinNormalized(normalizeText(call.system), inputOnly) : inputOnly,
      inputOnly,
    };
    list.push(node);
    nodes.set(call.spanId, node);
  }
  for (const node of list) {
    // the cycle guard is made only for a call whose parent is not a node (most parents are)
    let seen: Set<string> | undefined;
    let parentId = node.call.parentSpanId;
    let missing: string | undefined;
    while (parentId && !nodes.has(parentId) && !(seen ??= new Set()).has(parentId)) {
      seen.add(parentId);
      if (!bySpan.has(parentId)) missing = parentId;
      parentId = bySpan.get(parentId)?.parentSpanId;
    }
    const parent = parentId ? nodes.get(parentId) : undefined;
    // a parent outside the capture is normal under a user's own span; only a run's own dangling ids are suspicious
    if (missing && !parent && runCall === undefined) {
      warn(`span "${node.call.name}" (${node.id}) has parent ${missing}, which is not in the trace; treated as a top-level call`);
    }
    if (parent && !encloses(node, parent)) {
      node.parent = parent;
      parent.children.push(node);
    }
  }
  return { list, nodeOf: nodes };
}

/**
 * normalizeText(`${a}\n${b}`) for texts already normalized, without normalizing the joined text again: the newline
 * between them made every model call's system prompt and input one more whitespace replace over both.
 */
function joinNormalized(a: string, b: string): string {
  return a === "" ? b : b === "" ? a : `${a} ${b}`;
}

/**
 * The run's input feeds every call that reads it — the innermost reader, not the modules around it, so feedback on
 * the input's use lands on the call that used it. Matched by content (strings inside a JSON argument list count).
 */
function inputEdges(nodes: readonly CallNode[], top: readonly CallNode[], runCall: ModuleCall | undefined, edges: EdgeSet, graphNodes: GraphNode[]): void {
  const first = top[0];
  const text = runInputText(top, runCall);
  graphNodes.push({ id: "input", kind: "input", name: "input", value: text });
  const norm = matchableText(text);
  if (norm === "") return;
  // role names and ids sit beside the question in a JSON argument list: its longest string is what calls read
  const longest = longestString(text) ?? norm;
  const readers = nodes.filter((n) => n.input.includes(norm) || (longest !== norm && n.input.includes(longest)));
  const enclosing = new Set<CallNode>();
  for (const r of readers) for (let a = r.parent; a && !enclosing.has(a); a = a.parent) enclosing.add(a);
  for (const r of readers) if (!enclosing.has(r)) edges.add("input", r.id, "content", norm.length >= 32 ? CONFIDENCE.substring : CONFIDENCE.tree);
  if (first && readers.length === 0 && !edges.hasInto(first.id)) edges.add("input", first.id, "tree", CONFIDENCE.tree);
}

/** The longest string inside a JSON text (normalized), or undefined when the text is not JSON. */
function longestString(text: string): string | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let best = "";
  const stack: unknown[] = [value];
  for (let i = 0; stack.length > 0 && i < 10_000; i++) {
    const v = stack.pop();
    if (typeof v === "string") best = v.length > best.length ? v : best;
    else if (v && typeof v === "object") for (const x of Object.values(v)) stack.push(x);
  }
  return best === "" ? undefined : normalizeText(best);
}

function outputEdge(top: readonly CallNode[], runCall: ModuleCall | undefined, edges: EdgeSet, graphNodes: GraphNode[], live: string | undefined, all: readonly CallNode[]): void {
  // a returned { messages } state: the answer is its last message, produced by the (possibly nested) call that wrote it
  const answer = live === undefined && runCall ? lastMessageText(runCall.output) : undefined;
  if (answer !== undefined) {
    const norm = normalizeText(answer);
    let producer: CallNode | undefined;
    for (const n of all) if (n.output === norm && (!producer || n.call.endTime >= producer.call.endTime)) producer = n;
    if (producer) {
      graphNodes.push({ id: "output", kind: "output", name: "output", value: answer });
      edges.add(producer.id, "output", "content", CONFIDENCE.returns);
      return;
    }
  }
  const final = runCall?.output ? normalizeText(runCall.output) : undefined;
  const latest = [...top].sort((a, b) => b.call.endTime - a.call.endTime);
  const same = final === undefined ? undefined : latest.find((n) => n.output === final);
  const quoted = final === undefined ? undefined : latest.find((n) => n.output !== "" && final.includes(n.output));
  const producer = same ?? quoted ?? latest[0];
  // the loss should read the answer itself, not a wrapper object that merely contains it
  const value = same || !quoted ? (live ?? (runCall?.output || producer?.call.output || "")) : quoted.call.output;
  graphNodes.push({ id: "output", kind: "output", name: "output", value });
  if (producer) edges.add(producer.id, "output", same || quoted ? "content" : "tree", same ? CONFIDENCE.returns : quoted ? CONFIDENCE.substring : CONFIDENCE.tree);
}

/**
 * A module that returns its child's answer verbatim only passes it on: the data it received really fed that child.
 * Edges into such a module are moved onto the child, and the module's rule becomes a pass-through.
 */
function retargetIdentityModules(nodes: readonly CallNode[], edges: EdgeSet): Map<string, CallNode> {
  const identity = new Map<string, CallNode>();
  for (const n of nodes) {
    if (n.kind === "llm" || n.output === "") continue;
    for (let i = n.children.length - 1; i >= 0; i--) {
      const k = n.children[i]!;
      if (k.output === n.output && edges.has(k.id, n.id)) {
        identity.set(n.id, k);
        break;
      }
    }
  }
  if (identity.size === 0) return identity;
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of edges.all()) {
    if (!identity.has(e.to)) continue;
    const list = incoming.get(e.to);
    if (list) list.push(e);
    else incoming.set(e.to, [e]);
  }
  for (const [id, child] of identity) {
    for (const e of incoming.get(id) ?? []) {
      if (e.from === child.id || e.from.startsWith("param:")) continue;
      edges.delete(e.from, id);
      if (!edges.has(e.from, child.id)) edges.add(e.from, child.id, e.kind, e.confidence);
    }
  }
  return identity;
}
