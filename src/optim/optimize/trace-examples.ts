/**
 * @module optim/optimize/trace-examples
 * The examples of optimize() over stored traces: every run that has feedback, with its feedback records, its input
 * text and its recorded score, split by a seeded hash of the trace id into runs to learn from and runs to validate on.
 * The loop itself sees only light examples (trace id, input, correction, feedback ids): the spans stay on disk.
 */
import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../../errors.js";
import type { FeedbackRecord } from "../../store/feedback-record.js";
import type { StoredTrace } from "../../store/stored-trace.js";

/** A run with feedback as the loop sees it (hashed for the journal, read by the overfitting guard). */
export interface TraceExample {
  readonly traceId: string;
  /** The run's input text. */
  readonly input: string;
  /** The correction given for the run's output, if any (the guard rejects prompts that copy it). */
  readonly answer?: string;
  /** Ids of the feedback records used. */
  readonly feedback: readonly string[];
}

/** A run with feedback and what scoring it needs. */
export interface LoadedExample {
  readonly example: TraceExample;
  readonly trace: StoredTrace;
  readonly records: readonly FeedbackRecord[];
  /** The recorded score: the mean of the records' scores; a record without one counts as imperfect unless its label says pass. */
  readonly score: number;
}

/** Labels read as "this was fine" on a record without a score. */
const PASSING_LABELS = new Set(["pass", "passed", "correct", "good", "positive", "yes", "true", "thumbs_up", "accept", "accepted"]);

/** What {@link loadExamples} needs. */
export interface ExampleInput {
  readonly traces: readonly StoredTrace[];
  readonly feedback: readonly FeedbackRecord[];
  readonly metric: string | undefined;
  readonly perfectScore: number;
  readonly warn: (warning: string) => void;
  /** The run's input and output text (from its graph). */
  readonly describe: (trace: StoredTrace) => { readonly input: string; readonly output: string };
}

/** The runs with feedback, in trace order. */
export function loadExamples(input: ExampleInput): LoadedExample[] {
  const byTrace = new Map<string, FeedbackRecord[]>();
  for (const f of input.feedback) {
    if (input.metric !== undefined && f.name !== input.metric) continue;
    const list = byTrace.get(f.traceId);
    if (list) list.push(f);
    else byTrace.set(f.traceId, [f]);
  }
  const known = new Set(input.traces.map((t) => t.traceId));
  const orphans = [...byTrace.keys()].filter((id) => !known.has(id));
  if (orphans.length > 0) {
    input.warn(`optimize(): ${orphans.length} trace id(s) have feedback but are not among the traces given (${orphans.slice(0, 3).join(", ")}${orphans.length > 3 ? ", …" : ""}); that feedback is not used — read the files those runs were exported to as well`);
  }
  const out: LoadedExample[] = [];
  for (const trace of input.traces) {
    const records = byTrace.get(trace.traceId);
    if (!records) continue;
    const { input: text } = input.describe(trace);
    const correction = records.find((r) => r.spanId === undefined && r.correction !== undefined)?.correction;
    out.push({
      example: { traceId: trace.traceId, input: text, ...(correction === undefined ? {} : { answer: correction }), feedback: records.map((r) => r.id) },
      trace,
      records,
      score: recordedScore(records, input.perfectScore),
    });
  }
  return out;
}

/** The recorded score of a run's feedback records (see {@link LoadedExample.score}). */
export function recordedScore(records: readonly FeedbackRecord[], perfectScore: number): number {
  const scores = records.flatMap((r) => (r.score === undefined ? [] : [r.score]));
  const corrected = records.some((r) => r.correction !== undefined);
  const failedLabel = records.some((r) => r.score === undefined && !(r.label !== undefined && PASSING_LABELS.has(r.label.toLowerCase())));
  let score = scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : perfectScore;
  if ((corrected || failedLabel) && score >= perfectScore) score = scores.length > 0 ? Math.min(...scores, 0) : 0;
  return score;
}

/** Splits `examples` into training and validation runs by a seeded hash of their trace ids (at least one each). */
export function splitExamples(examples: readonly LoadedExample[], valFraction: number, seed: number): { train: LoadedExample[]; val: LoadedExample[] } {
  if (examples.length < 2) {
    throw new InvalidArgumentError(
      `optimize({ traces }) needs at least 2 runs with feedback — some to learn from, some to validate on — and found ${examples.length}. Record feedback on more runs (recordFeedback, or an importer), or check that the feedback's trace ids match the traces read.`,
      { subject: "feedback" },
    );
  }
  const key = (e: LoadedExample) => createHash("sha256").update(`${seed}:${e.example.traceId}`).digest("hex");
  const shuffled = [...examples].sort((a, b) => key(a).localeCompare(key(b)));
  const valCount = Math.min(examples.length - 1, Math.max(1, Math.round(examples.length * valFraction)));
  return { val: shuffled.slice(0, valCount), train: shuffled.slice(valCount) };
}
