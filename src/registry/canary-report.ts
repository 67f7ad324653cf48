/**
 * @module registry/canary-report
 * Compares the version on canary with the production version on the feedback their runs received, and decides. Runs
 * are matched to versions by the prompt-use attributes on their spans; each run with scored feedback counts once, with
 * the mean of its scores (run-level and span-level feedback alike).
 */
import { InvalidArgumentError } from "../errors.js";
import type { SpanLike } from "../trace/span-like.js";
import { difference, meanInterval, zFor } from "./canary-stats.js";
import { readPromptUse } from "./prompt-attributes.js";
import { checkLabel, checkPromptName, PRODUCTION_LABEL } from "./prompt-names.js";

/** The trace shape read: `readTraces()` output (or anything with a trace id and its spans). */
export interface CanaryTrace {
  readonly traceId: string;
  readonly spans: readonly SpanLike[];
}

/** The feedback fields read (a `FeedbackRecord` from `readFeedback()` has them). */
export interface CanaryFeedback {
  readonly traceId: string;
  readonly name: string;
  readonly score?: number | undefined;
}

/** Where the report learns which version each label points at now (a prompt registry). */
export interface LabelSource {
  /** The prompt's labels as known now, or undefined when not known without waiting. */
  labelsOf(name: string): Readonly<Record<string, number>> | undefined;
}

/** Options of {@link canaryReport}. */
export interface CanaryReportOptions {
  readonly registry: LabelSource;
  readonly name: string;
  readonly traces: Iterable<CanaryTrace>;
  readonly feedback: Iterable<CanaryFeedback>;
  /** The canary's label (default "candidate"). */
  readonly canaryLabel?: string;
  /** The label it is compared with (default "production"). */
  readonly baseLabel?: string;
  /** Scored runs needed per version before deciding (default 20). */
  readonly minSamples?: number;
  /** Confidence of the intervals (default 0.95). */
  readonly confidence?: number;
  /** Only feedback with this name counts (default: every feedback record with a score). */
  readonly metric?: string;
}

/** One version's scores. */
export interface CanaryVersionStats {
  readonly version: number;
  /** The label it was compared under ("production", "candidate"), or the label its runs read it by. */
  readonly label: string;
  /** Runs that read it and have scored feedback. */
  readonly n: number;
  readonly mean: number;
  readonly interval: readonly [number, number];
}

/** What {@link canaryReport} returns. */
export interface CanaryReport {
  readonly decision: "promote" | "rollback" | "wait";
  readonly versions: readonly CanaryVersionStats[];
  /** The rule the decision follows, in words. */
  readonly rule: string;
  /** Why this decision, in words (sample counts, the interval on the difference). */
  readonly reason: string;
  /** The canary's and the base's versions, when both are known. */
  readonly canary?: number;
  readonly base?: number;
  /** Mean score difference canary − base with its interval, when both have runs. */
  readonly difference?: { readonly estimate: number; readonly interval: readonly [number, number]; readonly method: string };
  /** Runs left out: no read of the prompt, no scored feedback, or reads of two versions in one run. */
  readonly skipped: { readonly noRead: number; readonly noFeedback: number; readonly mixed: number };
}

/**
 * Decides a canary: promote when the interval on (canary mean − base mean) lies above 0, roll back when it lies below
 * 0, otherwise (or before `minSamples` scored runs per version) wait.
 *
 * @example
 * const report = canaryReport({ registry, name: "planner.system", traces, feedback });
 * if (report.decision === "promote") await registry.setLabel("planner.system", "production", report.canary!);
 * @throws InvalidArgumentError on a bad name, label, minSamples or confidence.
 */
export function canaryReport(options: CanaryReportOptions): CanaryReport {
  const { registry, name } = options;
  checkPromptName(name, "canaryReport");
  const canaryLabel = options.canaryLabel ?? "candidate";
  const baseLabel = options.baseLabel ?? PRODUCTION_LABEL;
  checkLabel(canaryLabel, "canaryReport canaryLabel", false);
  checkLabel(baseLabel, "canaryReport baseLabel", false);
  const minSamples = options.minSamples ?? 20;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(minSamples) || minSamples < 2) throw new InvalidArgumentError(`canaryReport: minSamples must be an integer ≥ 2, got ${String(minSamples)}.`, { subject: name });
  if (!(confidence > 0.5 && confidence < 1)) throw new InvalidArgumentError(`canaryReport: confidence must be between 0.5 and 1, e.g. 0.95; got ${String(confidence)}.`, { subject: name });
  if (!registry || typeof registry.labelsOf !== "function") throw new InvalidArgumentError(`canaryReport("${name}") needs { registry }: the prompt registry the versions live in.`, { subject: name });

  const scores = scoresByTrace(options.feedback, options.metric);
  const perVersion = new Map<number, number[]>();
  const readUnder = new Map<number, Map<string, number>>();
  const skipped = { noRead: 0, noFeedback: 0, mixed: 0 };
  for (const t of options.traces) {
    const versions = new Set<number>();
    for (const span of t.spans) {
      const use = readPromptUse(span.attributes, name);
      if (use?.version === undefined) continue;
      versions.add(use.version);
      const labels = readUnder.get(use.version) ?? new Map<string, number>();
      labels.set(use.label, (labels.get(use.label) ?? 0) + 1);
      readUnder.set(use.version, labels);
    }
    if (versions.size === 0) skipped.noRead++;
    else if (versions.size > 1) skipped.mixed++;
    else {
      const runScores = scores.get(t.traceId);
      if (!runScores) skipped.noFeedback++;
      else {
        const [version] = versions;
        const list = perVersion.get(version!) ?? [];
        list.push(runScores.reduce((a, b) => a + b, 0) / runScores.length);
        perVersion.set(version!, list);
      }
    }
  }

  const labels = registry.labelsOf(name);
  const mostReadUnder = (label: string) => {
    let best: number | undefined;
    let count = 0;
    for (const [version, by] of readUnder) if ((by.get(label) ?? 0) > count) [best, count] = [version, by.get(label)!];
    return best;
  };
  const base = labels?.[baseLabel] ?? mostReadUnder(baseLabel);
  const canary = labels?.[canaryLabel] ?? mostReadUnder(canaryLabel);
  const z = zFor(confidence);
  const labelOf = (version: number) => {
    if (version === canary && version !== base) return canaryLabel;
    if (version === base) return baseLabel;
    const by = [...(readUnder.get(version) ?? [])].sort((a, b) => b[1] - a[1]);
    return by[0]?.[0] ?? "";
  };
  const versions = [...perVersion.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([version, s]) => ({ version, label: labelOf(version), ...meanInterval(s, z) }));

  const pct = `${Math.round(confidence * 1000) / 10}%`;
  const rule =
    `at least ${minSamples} runs with scored feedback${options.metric ? ` ("${options.metric}")` : ""} per version; a ${pct} interval on the mean score difference ` +
    `(${canaryLabel} − ${baseLabel}; Agresti–Caffo for 0/1 scores, else normal/Welch); promote if the interval lies above 0, roll back if it lies below 0, otherwise wait`;
  const common = { versions, rule, skipped, ...(canary === undefined ? {} : { canary }), ...(base === undefined ? {} : { base }) };
  if (base === undefined) return { decision: "wait", reason: `no version of "${name}" is labelled "${baseLabel}" or was read under it`, ...common };
  if (canary === undefined) return { decision: "wait", reason: `no version of "${name}" is labelled "${canaryLabel}" or was read under it: no canary is running`, ...common };
  if (canary === base) return { decision: "wait", reason: `"${canaryLabel}" and "${baseLabel}" both point at version ${base}: nothing to compare`, ...common };
  const c = perVersion.get(canary) ?? [];
  const b = perVersion.get(base) ?? [];
  const diff = c.length > 0 && b.length > 0 ? difference(c, b, z) : undefined;
  const withDiff = diff ? { ...common, difference: diff } : common;
  if (c.length < minSamples || b.length < minSamples) {
    return { decision: "wait", reason: `${c.length} scored runs of version ${canary} (${canaryLabel}) and ${b.length} of version ${base} (${baseLabel}); ${minSamples} each are needed`, ...withDiff };
  }
  const [lo, hi] = diff!.interval;
  const shown = `difference ${fmt(diff!.estimate)} with interval [${fmt(lo)}, ${fmt(hi)}] over ${c.length} and ${b.length} runs`;
  if (lo > 0) return { decision: "promote", reason: `version ${canary} scores higher than version ${base}: ${shown}`, ...withDiff };
  if (hi < 0) return { decision: "rollback", reason: `version ${canary} scores lower than version ${base}: ${shown}`, ...withDiff };
  return { decision: "wait", reason: `no clear difference yet: ${shown}`, ...withDiff };
}

/** Numeric scores per trace id (the feedback named `metric` only, when given). */
function scoresByTrace(feedback: Iterable<CanaryFeedback>, metric: string | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const f of feedback) {
    if (typeof f.score !== "number" || !Number.isFinite(f.score)) continue;
    if (metric !== undefined && f.name !== metric) continue;
    const list = out.get(f.traceId) ?? [];
    list.push(f.score);
    out.set(f.traceId, list);
  }
  return out;
}

function fmt(x: number): string {
  return (Math.round(x * 1000) / 1000).toString();
}
