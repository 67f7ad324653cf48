/**
 * @module cli/commands/prompts
 * `tracegrad prompts list | show | diff | label | canary` over a prompt registry directory.
 */
import { Command, Option } from "commander";
import { createTwoFilesPatch, diffWords } from "diff";
import { promptRegistry, type PromptRegistry, type PromptSelector, type PromptVersion } from "../../registry/prompt-registry.js";
import { canaryReport, type CanaryReport } from "../../registry/canary-report.js";
import { readFeedback } from "../../store/read-feedback.js";
import { loadTraces } from "../load-traces.js";
import { parseCount, parseInteger } from "../parse-number.js";

interface DirOption {
  readonly dir: string;
}

const dirOption = () => new Option("--dir <dir>", "the registry directory (one JSON file per prompt)").default("prompts");

/** A registry over `--dir` whose warnings go to stderr. */
function openRegistry(dir: string): PromptRegistry {
  return promptRegistry({ dir, onWarning: (w) => void process.stderr.write(`warning: ${w.message}\n`) });
}

/** "3" is a version, anything else a label. */
function selectorOf(ref: string): PromptSelector {
  return /^\d+$/.test(ref) ? { version: Number(ref) } : { label: ref };
}

const labelsText = (v: PromptVersion) => (v.labels.length === 0 ? "" : `  [${v.labels.join(", ")}]`);

/** The `prompts` command and its subcommands. */
export function promptsCommand(): Command {
  const prompts = new Command("prompts").description("list, show, diff, label and canary prompt versions in a registry directory");

  prompts
    .command("list")
    .description("every prompt with its versions and labels")
    .addOption(dirOption())
    .action(async (options: DirOption) => {
      const registry = openRegistry(options.dir);
      const names = await registry.list();
      if (names.length === 0) {
        process.stdout.write(`no prompts in ${options.dir}\n`);
        return;
      }
      const width = Math.max(...names.map((n) => n.length));
      for (const name of names) {
        const versions = await registry.versions(name);
        const labels = versions.flatMap((v) => v.labels.map((l) => `${l}=v${v.version}`));
        process.stdout.write(`${name.padEnd(width)}  ${String(versions.length).padStart(3)} version${versions.length === 1 ? " " : "s"}  ${labels.join("  ")}\n`);
      }
    });

  prompts
    .command("show")
    .description('one version\'s text and metadata (default: the version labelled "production")')
    .argument("<name>", "the prompt name, e.g. planner.system")
    .addOption(new Option("--version <n>", "a version number").argParser(parseCount).conflicts("label"))
    .addOption(new Option("--label <label>", "a label, e.g. candidate"))
    .addOption(dirOption())
    .action(async (name: string, options: DirOption & { version?: number; label?: string }) => {
      const registry = openRegistry(options.dir);
      const selector: PromptSelector = options.version !== undefined ? { version: options.version } : { label: options.label ?? "production" };
      const v = await registry.get(name, selector);
      const meta = [`${v.name} v${v.version}${labelsText(v)}`, `created ${v.createdAt}`];
      if (v.parent !== undefined) meta.push(`parent v${v.parent}`);
      if (v.source !== undefined) meta.push(`source ${JSON.stringify(v.source)}`);
      process.stdout.write(`${meta.join("  ")}\n\n${v.text}${v.text.endsWith("\n") ? "" : "\n"}`);
    });

  prompts
    .command("diff")
    .description("the change between two versions (numbers or labels), as a unified diff")
    .argument("<name>", "the prompt name")
    .argument("<a>", "the old version: a number or a label")
    .argument("<b>", "the new version: a number or a label")
    .option("--words", "a word diff ([-removed-]{+added+}) instead of lines")
    .addOption(dirOption())
    .action(async (name: string, a: string, b: string, options: DirOption & { words?: boolean }) => {
      const registry = openRegistry(options.dir);
      const [va, vb] = await Promise.all([registry.get(name, selectorOf(a)), registry.get(name, selectorOf(b))]);
      if (options.words) {
        const parts = diffWords(va.text, vb.text).map((p) => (p.added ? `{+${p.value}+}` : p.removed ? `[-${p.value}-]` : p.value));
        process.stdout.write(`${name} v${va.version} → v${vb.version}\n${parts.join("")}\n`);
        return;
      }
      const withNewline = (t: string) => (t.endsWith("\n") ? t : `${t}\n`);
      process.stdout.write(createTwoFilesPatch(`${name}@v${va.version}`, `${name}@v${vb.version}`, withNewline(va.text), withNewline(vb.text), `(${a})`, `(${b})`));
    });

  prompts
    .command("label")
    .description("point a label at a version (a rollback is moving it back); \"latest\" moves by itself")
    .argument("<name>", "the prompt name")
    .argument("<label>", "the label, e.g. production")
    .argument("<version>", "the version number", parseCount)
    .addOption(dirOption())
    .action(async (name: string, label: string, version: number, options: DirOption) => {
      const registry = openRegistry(options.dir);
      const before = await registry.versions(name).then((vs) => vs.find((v) => v.labels.includes(label))?.version).catch(() => undefined);
      await registry.setLabel(name, label, version);
      process.stdout.write(`${name}: ${label} → v${version}${before === undefined ? " (new label)" : before === version ? " (unchanged)" : ` (was v${before})`}\n`);
    });

  prompts
    .command("canary")
    .description("compare the canary's version with production on the feedback their runs received, and decide")
    .argument("<name>", "the prompt name")
    .option("--traces <path>", "the stored traces (file or directory)", "traces")
    .option("--feedback <path>", "the feedback file (JSON lines)", "feedback.jsonl")
    .option("--canary-label <label>", "the canary's label", "candidate")
    .option("--base-label <label>", "the label it is compared with", "production")
    .option("--min-samples <n>", "scored runs needed per version before deciding", parseInteger, 20)
    .option("--metric <name>", "only feedback with this name counts (default: every scored record)")
    .option("--apply", "apply the decision: promote moves the base label to the canary's version, rollback moves the canary label back")
    .addOption(dirOption())
    .action(async (name: string, options: DirOption & CanaryCliOptions) => {
      const registry = openRegistry(options.dir);
      const traces = await loadTraces(options.traces);
      // the file's records and the evaluation events recorded on the spans
      const feedback = await readFeedback(options.feedback, { traces, onWarning: (w) => void process.stderr.write(`warning: ${w}\n`) });
      const settings = { canaryLabel: options.canaryLabel, baseLabel: options.baseLabel, minSamples: options.minSamples, metric: options.metric };
      if (options.apply) {
        const check = await registry.checkCanary(name, { traces, feedback, promote: true, ...settings });
        process.stdout.write(renderCanary(name, check));
        process.stdout.write(check.applied ? `applied: ${check.applied.label} v${check.applied.from} → v${check.applied.to}\n` : "applied: nothing (no decision to apply)\n");
        return;
      }
      process.stdout.write(renderCanary(name, canaryReport({ registry, name, traces, feedback, ...settings })));
    });

  return prompts;
}

interface CanaryCliOptions {
  readonly traces: string;
  readonly feedback: string;
  readonly canaryLabel: string;
  readonly baseLabel: string;
  readonly minSamples: number;
  readonly metric?: string;
  readonly apply?: boolean;
}

const fixed = (n: number) => n.toFixed(3);

/** A canary report as text: the decision, each version's mean and interval, the rule and the reason. */
function renderCanary(name: string, report: CanaryReport): string {
  const lines = [`${name}: ${report.decision}`];
  for (const v of report.versions) lines.push(`  v${v.version} ${v.label.padEnd(12)} n=${String(v.n).padStart(4)}  mean ${fixed(v.mean)}  interval [${fixed(v.interval[0])}, ${fixed(v.interval[1])}]`);
  if (report.difference) {
    lines.push(`  difference ${fixed(report.difference.estimate)} [${fixed(report.difference.interval[0])}, ${fixed(report.difference.interval[1])}] (${report.difference.method})`);
  }
  const { noRead, noFeedback, mixed } = report.skipped;
  if (noRead + noFeedback + mixed > 0) lines.push(`  skipped runs: ${noRead} without a read of the prompt, ${noFeedback} without scored feedback, ${mixed} reading two versions`);
  lines.push(`  rule: ${report.rule}`, `  reason: ${report.reason}`);
  return `${lines.join("\n")}\n`;
}
