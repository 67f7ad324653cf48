/**
 * @module cli/commands/optimize
 * `tracegrad optimize --config tracegrad.config.ts`: runs `optimize()` with the options a config module exports,
 * showing progress; Ctrl-C stops after the step in flight is decided (durable in the checkpoint journal), prints the
 * summary, writes the partial run's report and prints the command that resumes.
 */
import { basename, extname, join } from "node:path";
import { Command } from "commander";
import { ConfigError, InvalidArgumentError, NoEngineError } from "../../errors.js";
import { checkOptions, type OptimizeOptions } from "../../optim/optimize/options.js";
import { optimize } from "../../optim/optimize/optimize.js";
import type { OptimizeEvent, OptimizeResult, OptimizeUsage } from "../../optim/optimize/types.js";
import { importConfig } from "../load-config.js";
import { progressView, type ProgressState } from "../progress.js";
import { writeRunReport } from "../run-report.js";

interface OptimizeCliOptions {
  readonly config: string;
  readonly checkpointDir?: string;
}

/** Exit code after Ctrl-C (128 + SIGINT), as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

/** The `optimize` command. */
export function optimizeCommand(): Command {
  return new Command("optimize")
    .description("optimize prompts with optimize() — over a dataset, or from stored traces and feedback — from a config module whose default export is its options")
    .option("--config <file>", "the config module (.ts, .mts, .js, .mjs); its default export is optimize()'s options, or a function returning them", "tracegrad.config.ts")
    .option("--checkpoint-dir <dir>", "where the journal lives (default: the config's checkpointDir, else .tracegrad/runs/<config name>)")
    .addHelpText("after", "\nCtrl-C stops after the current step is decided and prints the command that resumes; running it again resumes.\nExit codes: 0 done, 1 failed, 2 invalid config, 130 interrupted.")
    .action(async (cli: OptimizeCliOptions) => {
      const options = await readOptions(cli);
      const resume = `tracegrad optimize --config ${cli.config}${cli.checkpointDir ? ` --checkpoint-dir ${cli.checkpointDir}` : ""}`;
      const result = await run(options, resume);
      const path = await writeRunReport(result, options.checkpointDir!);
      process.stdout.write(`report data: ${path}\nHTML report: tracegrad report ${options.checkpointDir} -o report.html\n`);
      if (result.stopReason === "aborted") {
        const last = result.steps.at(-1)?.step;
        const where = last === undefined ? "before the first step" : `after step ${last}`;
        process.stdout.write(`stopped ${where} (decided and saved in ${options.checkpointDir}).\nresume with: ${resume}\n`);
        process.exit(EXIT_INTERRUPTED);
      }
    });
}

/** The config's options, checked with optimize()'s own zod schema; a bad one is a ConfigError naming the field (exit 2). */
async function readOptions(cli: OptimizeCliOptions): Promise<OptimizeOptions<unknown, unknown>> {
  const raw = await importConfig(cli.config);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`config ${cli.config}: the default export must be optimize()'s options object ({ agent, trainset, valset, metric, engine, … } or { traces, feedback, registry, engine, agentEngine, … }), got ${Array.isArray(raw) ? "an array" : typeof raw}.`, { subject: cli.config });
  }
  const given = raw as OptimizeOptions<unknown, unknown>;
  const checkpointDir = cli.checkpointDir ?? given.checkpointDir ?? join(".tracegrad", "runs", basename(cli.config, extname(cli.config)).replace(/\.config$/, ""));
  const options = { ...given, checkpointDir };
  try {
    checkOptions(options);
  } catch (error) {
    if (InvalidArgumentError.isInstance(error) || NoEngineError.isInstance(error)) {
      throw new ConfigError(`config ${cli.config}: ${error.message.replace(/^optimize\(\): /, "")}`, { subject: error.subject, cause: error });
    }
    throw error;
  }
  return options;
}

const tokensOf = (u: OptimizeUsage) => u.inputTokens + u.outputTokens;

async function run(options: OptimizeOptions<unknown, unknown>, resume: string): Promise<OptimizeResult> {
  const view = progressView(process.stdout);
  let state: ProgressState = { done: 0, total: options.steps ?? 0, phase: "baseline", calls: 0, tokens: 0 };
  let spent = { calls: 0, tokens: 0, cost: 0 };
  // the first Ctrl-C aborts between steps (optimize returns, the summary and report are written); the second exits
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) {
      view.stop();
      process.stdout.write(`stopped at once (steps decided so far are in the journal).\nresume with: ${resume}\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    abort.abort();
    view.log("Ctrl-C: stopping after the current step is decided (Ctrl-C again to stop now)…");
  };
  process.on("SIGINT", onSigint);
  const onEvent = (event: OptimizeEvent) => {
    options.onEvent?.(event);
    if (event.type === "start") {
      view.log(
        `optimizing ${event.parameters.length} parameter${event.parameters.length === 1 ? "" : "s"} (${event.parameters.join(", ")}) over ${event.trainSize} train / ${event.valSize} validation examples, ${event.selection} selection; checkpoint ${options.checkpointDir}`,
      );
      if (event.resumedSteps > 0) view.log(`resuming after ${event.resumedSteps} decided step${event.resumedSteps === 1 ? "" : "s"}`);
      view.log(`baseline score ${event.baseline.toFixed(3)}; estimate for the optimizer: about ${event.estimate.calls} calls, ${event.estimate.tokens} tokens`);
      state = { ...state, done: event.resumedSteps, total: event.steps, best: event.baseline, phase: "minibatch" };
    } else if (event.type === "progress") {
      state = { ...state, phase: event.phase };
    } else if (event.type === "step") {
      // a step's usage is its own; the display shows this process's total
      spent = { calls: spent.calls + event.usage.calls, tokens: spent.tokens + tokensOf(event.usage), cost: spent.cost + (event.usage.cost ?? 0) };
      state = { ...state, done: event.step, best: event.best, calls: spent.calls, tokens: spent.tokens, ...(options.prices ? { cost: spent.cost } : {}), phase: "decided" };
      view.log(`step ${event.step}: ${event.accepted ? "accepted" : "rejected"}, score ${event.score.toFixed(3)}, best ${event.best.toFixed(3)} — ${event.reason}`);
    } else if (event.type === "end") {
      state = { ...state, phase: "done" };
    }
    view.update(state);
  };
  view.update(state);
  try {
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const result = await optimize({ ...options, onEvent, signal });
    view.stop();
    const changed = Object.keys(result.best.values).filter((k) => result.best.values[k] !== result.baseline.values[k]);
    process.stdout.write(
      [
        `validation score: ${result.baseline.score.toFixed(3)} baseline -> ${result.best.score.toFixed(3)} best (${result.steps.filter((s) => s.accepted).length} of ${result.steps.length} steps accepted; stopped: ${result.stopMessage ?? result.stopReason})`,
        `optimizer usage: ${result.usage.calls} calls, ${tokensOf(result.usage)} tokens${result.usage.cost === undefined || !options.prices ? "" : `, $${result.usage.cost.toFixed(4)}`}`,
        `changed prompts: ${changed.length === 0 ? "none" : changed.join(", ")}`,
        ...(result.published === undefined ? [] : [`published: ${result.published.length === 0 ? "nothing (no candidate beat the recorded runs)" : result.published.map((p) => `${p.name} v${p.version} (${p.label}, from v${p.parent})`).join(", ")}`]),
      ].join("\n") + "\n",
    );
    return result;
  } finally {
    view.stop();
    process.off("SIGINT", onSigint);
  }
}
