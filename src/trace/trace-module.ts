/**
 * @module trace/trace-module
 * Wraps a plain function as a traced module. Outside trace() the wrapper only checks the context and calls through.
 * Inside, each call becomes an active span (so nested modules and LLM calls become its children) that records the
 * parameters it used, where its arguments came from (explicit value references) and what it returned.
 *
 * The agent's behaviour never changes: its return value and its errors are passed through untouched (the very same
 * objects, including the very same Promise), and every fault of ours goes to the run's `onError` hook.
 */
import { SpanKind, type Attributes, type Span } from "@opentelemetry/api";
import { Variable } from "../core/variable.js";
import { InvalidArgumentError } from "../errors.js";
import { TG } from "./attributes.js";
import { PLANNER_ATTRIBUTES } from "./control-edges.js";
import { activeCapture, nextCallIndex, skipNestedCalls, type Capture, type ReplayedCall } from "./capture.js";
import { reportedText, reportFault } from "./fault-sink.js";
import { recordSpan } from "./record-span.js";
import { hashText, safeText } from "./safe-text.js";
import { moduleStartAttributes, writeOutput, type ModuleStart } from "./span-writer.js";

/** Options of {@link traceModule}. */
export interface TraceModuleOptions {
  /**
   * Trainable prompts the module reads (declared with `param()`). Optional: a `param()` read inside the module is
   * recorded anyway; listing it also records it for calls that do not read it (e.g. they pass it on unread).
   */
  readonly params?: readonly Variable[];
  /** What the module's output is, e.g. "plan: the list of modules to run". */
  readonly role?: string;
  /**
   * "tool" for tools an agent calls (GenAI `execute_tool`); "planner" for a module whose output decides which modules
   * run next (a plan, a routing choice): the graph gets control edges from its output to the calls it selected, so
   * feedback reaches the plan; default "module" (GenAI `invoke_agent`).
   */
  readonly kind?: "module" | "tool" | "planner";
  /**
   * With `kind: "planner"`: the modules the planner chooses from, as its plan names them. Feedback then says which of
   * them did not run ("knowledge_retrieval did not run; …"). Optional: without it they are read from the planner's
   * prompt when it lists them ("- knowledge_retrieval: …").
   */
  readonly modules?: readonly string[];
}

/**
 * Traces `fn` as the module `name`. The wrapper has the same signature, `this` and return value as `fn`.
 *
 * Replay: when the run's replay plan has an output for this call, `fn` is not called; a span marked
 * `tracegrad.replayed` records the output, which is returned — wrapped in a Promise when `fn` is declared `async`
 * or an earlier call of it returned a Promise (a plain function whose first call is replayed returns it bare).
 *
 * Only native Promises are followed to completion; other thenables are returned untouched (calling their `then` a
 * second time could run them twice) and the span ends at once.
 *
 * @example
 * const planner = traceModule("planner", async (question: string) => plan(question), {
 *   params: [plannerPrompt],
 *   role: "plan: the list of modules to run",
 * });
 * const run = await trace(() => planner("What is 2+2?"));
 * @throws InvalidArgumentError at wrap time, for a bad name, a non-function, a parameter without an id, a blank role,
 * an unknown kind, or `modules` without `kind: "planner"`.
 */
export function traceModule<A extends unknown[], R>(name: string, fn: (...args: A) => R, options: TraceModuleOptions = {}): (...args: A) => R {
  validate(name, fn, options);
  const params = [...(options.params ?? [])];
  const kind = options.kind ?? "module";
  const where = `${kind} "${name}"`;
  const planner = kind === "planner" ? plannerAttributes(options.modules) : undefined;
  // Whether replayed outputs must come back as Promises; see the doc comment.
  let returnsPromise = fn.constructor?.name === "AsyncFunction";

  function recordOutput(capture: Capture, span: Span, value: unknown): void {
    const st = writeOutput(span, value, capture, `${where} output`);
    const id = span.spanContext().spanId;
    if (st) capture.values.register(value, id, st.hash, st.text);
    capture.outputs.set(id, value);
  }

  function replay(capture: Capture, attributes: Attributes, output: unknown): unknown {
    // the replayed output is the span's return value: recordSpan records it as the call's output
    recordSpan({
      tracer: capture.tracer,
      name,
      kind: SpanKind.INTERNAL,
      attributes: { ...attributes, [TG.replayed]: true },
      sink: capture,
      where: `${where} replay`,
      fn: () => undefined,
      onStart: (span) => capture.ownSpans.add(span),
      onValue: (span) => recordOutput(capture, span, output),
    });
    return returnsPromise ? Promise.resolve(output) : output;
  }

  function traced(this: unknown, capture: Capture, args: A): R {
    let attributes: Attributes;
    let replayed: ReplayedCall | undefined;
    try {
      const index = nextCallIndex(capture, name);
      for (const p of params) capture.params.set(p.id!, p);
      replayed = lookupReplay(capture, name, index, where);
      attributes = startAttributes(capture, args, { name, kind: kind === "tool" ? "tool" : "module", role: options.role, callIndex: index, params, input: "" }, where);
      if (planner) Object.assign(attributes, planner);
    } catch (error) {
      reportFault(capture, error, `${where} start`);
      return fn.apply(this, args);
    }
    if (replayed) {
      skipNestedCalls(capture, replayed.nested);
      return replay(capture, attributes, replayed.output) as R;
    }

    return recordSpan({
      tracer: capture.tracer,
      name,
      kind: SpanKind.INTERNAL,
      attributes,
      sink: capture,
      where,
      fn: () => fn.apply(this, args),
      onStart: (span) => capture.ownSpans.add(span),
      onValue: (span, value) => recordOutput(capture, span, value),
      onPromise: () => (returnsPromise = true),
    });
  }

  const wrapper = function (this: unknown, ...args: A): R {
    const capture = activeCapture();
    return capture ? traced.call(this, capture, args) : fn.apply(this, args);
  };
  Object.defineProperty(wrapper, "name", { value: fn.name || name, configurable: true });
  return wrapper;
}

function validate(name: string, fn: unknown, options: TraceModuleOptions): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidArgumentError(`traceModule(${JSON.stringify(name)}, …) needs a non-empty module name, e.g. traceModule("planner", fn).`, { subject: String(name) });
  }
  if (typeof fn !== "function") {
    throw new InvalidArgumentError(`traceModule("${name}", …) got a ${typeof fn} instead of a function to trace.`, { subject: name });
  }
  (options.params ?? []).forEach((p, i) => {
    if (!(p instanceof Variable) || p.id === undefined) {
      throw new InvalidArgumentError(
        `traceModule("${name}"): params[${i}] is not a named parameter — create it with param("${name}.system", text, { role }).`,
        { subject: name },
      );
    }
  });
  if (options.role !== undefined && (typeof options.role !== "string" || options.role.trim() === "")) {
    throw new InvalidArgumentError(
      `traceModule("${name}"): role must be a non-blank string saying what the output is, e.g. { role: "plan: the list of modules to run" }, got ${JSON.stringify(options.role)}; omit it to use the default.`,
      { subject: name },
    );
  }
  if (options.kind !== undefined && options.kind !== "module" && options.kind !== "tool" && options.kind !== "planner") {
    throw new InvalidArgumentError(`traceModule("${name}"): kind must be "module", "tool" or "planner", got ${JSON.stringify(options.kind)}.`, { subject: name });
  }
  if (options.modules !== undefined) {
    if (options.kind !== "planner") {
      throw new InvalidArgumentError(`traceModule("${name}"): modules lists what a planner chooses from; pass it with { kind: "planner", modules: [...] } or leave it out.`, { subject: name });
    }
    if (!Array.isArray(options.modules) || options.modules.some((m) => typeof m !== "string" || m.trim() === "")) {
      throw new InvalidArgumentError(`traceModule("${name}"): modules must be an array of module names, e.g. { kind: "planner", modules: ["search", "answer"] }, got ${JSON.stringify(options.modules)}.`, { subject: name });
    }
  }
}

/** The span attributes that mark a planner (and what it chooses from), written at every call's start. */
function plannerAttributes(modules: readonly string[] | undefined): Attributes {
  return { [PLANNER_ATTRIBUTES.planner]: true, ...(modules ? { [PLANNER_ATTRIBUTES.modules]: [...modules] } : {}) };
}

/** The user's replay plan may throw too; that is reported and the call runs for real. */
function lookupReplay(capture: Capture, name: string, index: number, where: string): { readonly output: unknown } | undefined {
  if (!capture.replay) return undefined;
  try {
    const hit = capture.replay.lookup(name, index);
    return hit && typeof hit === "object" && "output" in hit ? hit : undefined;
  } catch (error) {
    reportFault(capture, error, `${where} replay lookup`);
    return undefined;
  }
}

/** Start attributes of one call. `start` is filled in place (object spreads cost microseconds per call here). */
function startAttributes(capture: Capture, args: readonly unknown[], start: { -readonly [K in keyof ModuleStart]: ModuleStart[K] }, where: string): Attributes {
  const input = args.length === 0 ? undefined : reportedText(args.length === 1 ? args[0] : args, capture, `${where} input`);
  const hashes = args.length === 1 ? [input!.hash] : args.map((a) => (typeof a === "string" ? hashText(a) : safeText(a).hash));
  const refs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    for (const ref of capture.values.resolve(args[i], hashes[i])) if (!refs.includes(ref)) refs.push(ref);
  }
  start.input = input?.text ?? "";
  start.inputRefs = refs;
  start.inputHashes = hashes;
  const attrs = moduleStartAttributes(start);
  // traceModule consults the replay plan on every call, so refinement may replace this call's output
  attrs[TG.replayable] = true;
  return attrs;
}
