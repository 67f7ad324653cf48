/**
 * @module cli/commands/feedback
 * `tracegrad feedback add | import`: feedback records appended to a JSON-lines file (`--path`, default feedback.jsonl).
 */
import { Command, Option } from "commander";
import { FeedbackFormatError } from "../../errors.js";
import { importFeedback } from "../../store/import-feedback.js";
import { recordFeedback } from "../../store/record-feedback.js";
import { loadTraces } from "../load-traces.js";
import { parseFiniteNumber } from "../parse-number.js";

interface AddOptions {
  readonly trace: string;
  readonly span?: string;
  readonly name: string;
  readonly score?: number;
  readonly label?: string;
  readonly explanation?: string;
  readonly correction?: string;
  readonly source: string;
  readonly id?: string;
  readonly path: string;
}

interface ImportOptions {
  readonly from: "langfuse" | "langsmith" | "phoenix";
  readonly path: string;
  readonly traces?: string;
}

const pathOption = () => new Option("--path <file>", "the feedback file (JSON lines; created when missing)").default("feedback.jsonl");
const warn = (w: string) => void process.stderr.write(`warning: ${w}\n`);

/** The `feedback` command and its subcommands. */
export function feedbackCommand(): Command {
  const feedback = new Command("feedback").description("record feedback on runs and spans, or import it from Langfuse, LangSmith or Phoenix");

  feedback
    .command("add")
    .description("record one piece of feedback on a run (its trace) or on one span; give at least one of --score, --label, --explanation, --correction")
    .requiredOption("--trace <id>", "the trace (run) the feedback is about")
    .option("--span <id>", "the span it is about (default: the run's output)")
    .requiredOption("--name <name>", 'what was evaluated, e.g. "user_thumbs"')
    .option("--score <number>", "a numeric score", parseFiniteNumber)
    .option("--label <label>", 'a label such as "pass" or "fail"')
    .option("--explanation <text>", "why")
    .option("--correction <text>", "the output it should have been")
    .option("--source <source>", 'who gave it: "human", "llm", "code", …', "human")
    .option("--id <id>", "the record's id (recording the same id again replaces it)")
    .addOption(pathOption())
    .action(async (options: AddOptions, command: Command) => {
      const { path, trace, span, ...fields } = options;
      let record;
      try {
        record = await recordFeedback({ ...fields, traceId: trace, ...(span === undefined ? {} : { spanId: span }) }, { path });
      } catch (error) {
        // the fields came from the command line: a bad one is a usage error
        if (FeedbackFormatError.isInstance(error)) command.error(`error: ${error.message.replace("recordFeedback: ", "feedback add: ")}`, { exitCode: 2 });
        throw error;
      }
      process.stdout.write(`recorded ${record.id} on trace ${record.traceId}${record.spanId ? ` span ${record.spanId}` : ""} in ${path}\n`);
    });

  feedback
    .command("import")
    .description("import an annotation export (JSON array, the API's { data: [...] }, or JSON lines) into the feedback file")
    .argument("<file>", "the exported file")
    .addOption(new Option("--from <tool>", "whose export it is").choices(["langfuse", "langsmith", "phoenix"]).makeOptionMandatory())
    .option("--traces <path>", "stored traces, to place Phoenix annotations that name only their span")
    .addOption(pathOption())
    .action(async (file: string, options: ImportOptions) => {
      const traces = options.traces === undefined ? undefined : await loadTraces(options.traces);
      let records;
      try {
        records = await importFeedback(file, { from: options.from, onWarning: warn, ...(traces ? { traces } : {}) });
      } catch (error) {
        if (FeedbackFormatError.isInstance(error) && options.from === "phoenix" && traces === undefined && /\btraces\b/.test(error.message)) {
          throw new FeedbackFormatError(`${error.message} On the command line: add --traces <file or directory>.`, { subject: error.subject, cause: error });
        }
        throw error;
      }
      for (const r of records) await recordFeedback(r, { path: options.path });
      process.stdout.write(`imported ${records.length} record${records.length === 1 ? "" : "s"} from ${file} (${options.from}) into ${options.path}\n`);
    });

  return feedback;
}
