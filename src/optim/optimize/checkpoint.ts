/**
 * @module optim/optimize/checkpoint
 * The run directory: `journal.jsonl` (append-only, each record fsynced) and `cache/` (the optimizer engine's replies,
 * so calls a killed session already got answered cost nothing on resume). Records, in order: `header` (the
 * fingerprint), `baseline`, then per step `step-start`, `proposals`, `decision`; and `stop` when the budget ends a run.
 * A step counts as done only once its `decision` is written — the commit point. State on resume is rebuilt from the
 * header, the baseline and the decisions alone; a step started but not decided is done again.
 */
import path from "node:path";
import { z } from "zod";
import { CheckpointError } from "../../errors.js";
import { checkFingerprint, type Fingerprint } from "./fingerprint.js";
import { lockCheckpoint } from "./checkpoint-lock.js";
import { openJournalFile, type JournalFile } from "./journal-file.js";
import type { OptimizeUsage, ParameterValues, PoolCandidate, ProposalRecord, StepRecord } from "./types.js";

/** Journal format version; a journal of another version is refused. */
export const JOURNAL_VERSION = 1;

/** One journal record. */
export type JournalRecord =
  | { readonly type: "header"; readonly version: number; readonly fingerprint: Fingerprint }
  | { readonly type: "baseline"; readonly values: ParameterValues; readonly scores: readonly number[]; readonly score: number }
  | { readonly type: "step-start"; readonly step: number; readonly batch: readonly number[]; readonly parent: number }
  | { readonly type: "proposals"; readonly step: number; readonly proposals: readonly ProposalRecord[] }
  | {
      readonly type: "decision";
      readonly record: StepRecord;
      /** Greedy: the values the loop continues from, with their validation scores and pool id. */
      readonly current: { readonly candidate: number; readonly values: ParameterValues; readonly scores: readonly number[]; readonly score: number };
      /** The candidate that joined the pool, when one did. */
      readonly added?: PoolCandidate;
    }
  | { readonly type: "stop"; readonly reason: string; readonly message: string };

const Values = z.record(z.string(), z.string());
const Scores = z.array(z.number());
const RecordSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("header"), version: z.number(), fingerprint: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("baseline"), values: Values, scores: Scores, score: z.number() }),
  z.object({ type: z.literal("step-start"), step: z.number().int(), batch: z.array(z.number()), parent: z.number() }),
  z.object({ type: z.literal("proposals"), step: z.number().int(), proposals: z.array(z.unknown()) }),
  z.object({
    type: z.literal("decision"),
    record: z.object({ step: z.number().int(), accepted: z.boolean(), score: z.number() }).loose(),
    current: z.object({ candidate: z.number(), values: Values, scores: Scores, score: z.number() }),
    added: z.object({ id: z.number(), values: Values, scores: Scores, score: z.number() }).loose().optional(),
  }),
  z.object({ type: z.literal("stop"), reason: z.string(), message: z.string() }),
]);

/** What an earlier session decided. */
export interface ResumedState {
  readonly fingerprint: Fingerprint;
  readonly baseline: { readonly values: ParameterValues; readonly scores: readonly number[]; readonly score: number };
  readonly steps: readonly StepRecord[];
  readonly pool: readonly PoolCandidate[];
  readonly current: { readonly candidate: number; readonly values: ParameterValues; readonly scores: readonly number[]; readonly score: number };
  /** Started steps that have no decision (done again now). */
  readonly undecided: readonly number[];
}

/** An open run directory. */
export interface Checkpoint {
  readonly dir: string;
  readonly cacheDir: string;
  /** The earlier sessions' state, or undefined for a fresh directory (or one killed before its baseline was written). */
  readonly resumed: ResumedState | undefined;
  /** The journal's fingerprint, when it has a header (a session killed before its baseline was written has one). */
  readonly header: Fingerprint | undefined;
  write(record: JournalRecord): void;
  close(): void;
}

/** Opens `dir`, reads its journal and checks it against `fingerprint` (parameters are checked later, once known). */
export function openCheckpoint(dir: string, fingerprint: Omit<Fingerprint, "parameters">): Checkpoint {
  const resolved = path.resolve(dir);
  // the lock first: opening the journal may cut a torn last line, which must never race another writer
  const unlock = lockCheckpoint(resolved);
  let file: JournalFile;
  try {
    file = openJournalFile(path.join(resolved, "journal.jsonl"));
  } catch (error) {
    unlock();
    throw error;
  }
  let records: JournalRecord[];
  try {
    records = file.records.map((r, i) => readRecord(r, i, file.path));
  } catch (error) {
    file.close();
    unlock();
    throw error;
  }
  let resumed: ResumedState | undefined;
  const header = records.find((r) => r.type === "header");
  try {
    resumed = resume(records, resolved);
    if (header) checkFingerprint(header.fingerprint, fingerprint, resolved);
  } catch (error) {
    file.close();
    unlock();
    throw error;
  }
  // a header without a baseline is from a session killed before the baseline was written: that session starts over
  // (the new header is written after the old one; resume reads the first, checked against the same options)
  return {
    dir: resolved,
    cacheDir: path.join(resolved, "cache"),
    resumed,
    header: header?.fingerprint,
    write: (record) => file.append(record),
    close: () => {
      file.close();
      unlock();
    },
  };
}

function readRecord(raw: unknown, index: number, file: string): JournalRecord {
  const parsed = RecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CheckpointError(`optimize(): record ${index + 1} of the journal "${file}" is not a journal record (${parsed.error.issues[0]?.message ?? "invalid"}); use a fresh checkpointDir.`, {
      subject: file,
    });
  }
  return raw as JournalRecord;
}

function resume(records: readonly JournalRecord[], dir: string): ResumedState | undefined {
  const header = records.find((r) => r.type === "header");
  const baseline = records.find((r) => r.type === "baseline");
  if (!header) return undefined;
  if (header.version !== JOURNAL_VERSION) {
    throw new CheckpointError(`optimize(): the journal in "${dir}" has format version ${header.version}; this version reads ${JOURNAL_VERSION}. Use a fresh checkpointDir.`, { subject: dir });
  }
  if (!baseline) return undefined;
  const steps: StepRecord[] = [];
  const pool: PoolCandidate[] = [{ id: 0, step: 0, values: baseline.values, scores: baseline.scores, score: baseline.score }];
  let current: ResumedState["current"] = { candidate: 0, values: baseline.values, scores: baseline.scores, score: baseline.score };
  const started = new Set<number>();
  for (const r of records) {
    if (r.type === "step-start") started.add(r.step);
    if (r.type !== "decision") continue;
    // a decided step is final: a later record for the same step could only come from a bug, and is not applied
    if (steps.some((s) => s.step === r.record.step)) continue;
    steps.push(r.record);
    if (r.added) pool.push(r.added);
    current = r.current;
  }
  const decided = new Set(steps.map((s) => s.step));
  return { fingerprint: header.fingerprint, baseline, steps, pool, current, undecided: [...started].filter((s) => !decided.has(s)) };
}

/** The sum of the steps' usage. */
export function sumUsage(steps: readonly { readonly usage: OptimizeUsage }[]): OptimizeUsage {
  const total = { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, cost: 0 };
  for (const { usage } of steps) {
    total.calls += usage.calls;
    total.cachedCalls += usage.cachedCalls;
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.totalTokens += usage.totalTokens;
    total.cost += usage.cost;
  }
  return total;
}
