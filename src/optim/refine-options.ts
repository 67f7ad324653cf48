/**
 * @module optim/refine-options
 * refine()'s options: their type, and the checks that run before any engine call.
 */
import type { EngineLike } from "../engine/engine-like.js";
import { InvalidArgumentError, NoEngineError } from "../errors.js";
import type { BuildGraphOptions } from "../trace/build-graph.js";
import type { Variable } from "../core/variable.js";
import { UPDATE_MODES, type UpdateMode } from "./tgd.js";

/** What `refine()` rewrites: module outputs (one run is fixed) or the run's prompts (the agent is changed). */
export type RefineTarget = "outputs" | "prompts";

const TARGETS: readonly RefineTarget[] = ["outputs", "prompts"];

/** Options of `refine()`. */
export interface RefineOptions {
  /** Computes the loss on the run's final output (e.g. a TextLoss). Called once per module per round. */
  readonly loss: (output: Variable) => Promise<Variable>;
  /** The engine for backward and the updates (the agent keeps its own models). */
  readonly engine: EngineLike;
  /** Names of the modules to refine, in any order (they are visited in execution order). Default: every top-level module. */
  readonly modules?: readonly string[];
  /** How many passes over the modules. Default 1. */
  readonly rounds?: number;
  /** "outputs" (default) rewrites module outputs; "prompts" rewrites the run's parameters. Decides the result's type. */
  readonly target?: RefineTarget;
  /** Natural-language constraints for the optimizer. */
  readonly constraints?: readonly string[];
  /** Backward/optimizer concurrency. Default 8. */
  readonly concurrency?: number;
  /** How the optimizer is asked for new values (TGD's `update`): `"reduced"` (default), `"textgrad"` or `"joint"` (one call for all prompts). */
  readonly update?: UpdateMode;
  /** Drop edges from the rebuilt graphs (e.g. to cut a path on purpose and see that nothing is fixed). */
  readonly dropEdge?: BuildGraphOptions["dropEdge"];
}

/**
 * Checks what TypeScript cannot (JavaScript callers, `as` casts, options built at run time) before any engine call,
 * so a typo fails with a message naming the option instead of a TypeError or a silent switch to outputs mode.
 */
export function checkRefineOptions(options: RefineOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("refine(run, options) needs options: refine(run, { loss: (out) => …, engine }).", { subject: "options" });
  }
  if (options.target !== undefined && !TARGETS.includes(options.target)) {
    throw new InvalidArgumentError(`refine(): target must be ${TARGETS.map((t) => `"${t}"`).join(" or ")} (got ${typeof options.target === "string" ? JSON.stringify(options.target) : String(options.target)}).`, { subject: "target" });
  }
  if (typeof options.loss !== "function") {
    const unknown = Object.keys(options).filter((k) => !KNOWN_OPTIONS.has(k));
    const hint = unknown.length > 0 ? ` Unknown option${unknown.length > 1 ? "s" : ""}: ${unknown.map((k) => `"${k}"`).join(", ")}.` : "";
    throw new InvalidArgumentError(
      `refine() needs { loss } — a function computing the loss on the run's final output, e.g. (out) => new TextLoss("…", { engine }).forward(out) (got ${typeof options.loss}).${hint}`,
      { subject: "loss" },
    );
  }
  const engine = options.engine as unknown;
  if (engine === undefined || engine === null) {
    throw new NoEngineError("refine() needs an engine for the loss, backward and the updates — pass { engine } (the agent keeps its own models).", { subject: "engine" });
  }
  if (typeof (engine as { generate?: unknown }).generate !== "function") {
    throw new InvalidArgumentError(
      `refine(): engine must be an Engine, an object with generate(request) (got ${typeof engine === "object" ? "an object without generate()" : typeof engine}); wrap a LangChain chat model with chatModelEngine(model).`,
      { subject: "engine" },
    );
  }
  if (options.update !== undefined && !UPDATE_MODES.includes(options.update)) {
    throw new InvalidArgumentError(`refine(): update must be ${UPDATE_MODES.map((m) => `"${m}"`).join(", ")} (got ${JSON.stringify(options.update)}).`, { subject: "update" });
  }
  if (options.rounds !== undefined && !(Number.isInteger(options.rounds) && options.rounds >= 1)) {
    throw new InvalidArgumentError(`refine(): rounds must be a whole number ≥ 1 (got ${String(options.rounds)}).`, { subject: "rounds" });
  }
  if (options.modules !== undefined && !(Array.isArray(options.modules) && options.modules.every((m) => typeof m === "string"))) {
    throw new InvalidArgumentError("refine(): modules must be an array of module names, e.g. { modules: [\"planner\"] }.", { subject: "modules" });
  }
}

const KNOWN_OPTIONS = new Set<string>(["loss", "engine", "modules", "rounds", "target", "constraints", "concurrency", "update", "dropEdge"]);
