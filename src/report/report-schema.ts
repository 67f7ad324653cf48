/**
 * @module report/report-schema
 * The gradient report: a versioned JSON document saying, per node of a run's graph, what the node was, which feedback
 * it received and from where, what was proposed and whether it was kept, and per run the usage and the parameters'
 * versions. Other tools read it through {@link gradientReportSchema}; the HTML report is drawn from it alone.
 */
import { z } from "zod";

/** The `version` of the reports this release writes and reads. A reader refuses any other. */
export const GRADIENT_REPORT_VERSION = "tracegrad.gradient-report/1";

/**
 * A text as the report keeps it: always its sha256 and length; the whole text when short, else only its beginning
 * (`preview`), so a report of a run with large retrieved documents stays small and still tells equal values apart.
 */
export const reportTextSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex sha256"),
    chars: z.number().int().nonnegative(),
    text: z.string().optional(),
    preview: z.string().optional(),
  })
  .refine((t) => (t.text === undefined) !== (t.preview === undefined), { message: "exactly one of text or preview" });

/** One part of a word diff: kept (`=`), added (`+`) or removed (`-`). */
export const diffPartSchema = z.object({ op: z.enum(["=", "+", "-"]), text: z.string() });

/** Where a sample came from, for feedback gathered over many runs. */
const sampleSchema = z.object({
  traceId: z.string().optional(),
  runId: z.string().optional(),
  /** Index of the example in the training set, when known. */
  example: z.number().int().nonnegative().optional(),
});

/** One piece of feedback a node received, with its sender. */
export const reportFeedbackSchema = z.object({
  text: z.string(),
  /** The sender: its role as the backward pass named it, and the ids of the report's nodes with that role downstream. */
  from: z.object({ role: z.string(), nodes: z.array(z.string()) }),
  /** How the receiving value was used by the sender (the backward pass's "used as"). */
  usedAs: z.string().optional(),
  /** What produced the feedback: an LLM call's backward, a string function, a sum/aggregate, a summary, a metric. */
  via: z.enum(["llm", "function", "combine", "summary", "metric"]).optional(),
  round: z.number().int().positive().optional(),
  step: z.number().int().nonnegative().optional(),
  sample: sampleSchema.optional(),
});

/** A proposed change of a node's value and what was decided. */
export const reportEditSchema = z.object({
  round: z.number().int().positive().optional(),
  step: z.number().int().nonnegative().optional(),
  before: reportTextSchema,
  proposed: reportTextSchema,
  after: reportTextSchema,
  /** Word diff from `before` to `after` (to `proposed` when the edit was rejected). */
  diff: z.array(diffPartSchema),
  accepted: z.boolean(),
  /** Why it was accepted or rejected, in words. */
  reason: z.string(),
  issues: z.array(z.string()),
  /** Numeric scores around the edit (optimize runs). */
  score: z.object({ before: z.number().nullable(), after: z.number().nullable() }).optional(),
  /** The loss texts around the edit (refine runs). */
  evaluation: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
});

/** The node kinds of a rebuilt trace graph. */
export const NODE_KINDS = ["module", "llm", "tool", "param", "input", "output"] as const;
/** How an edge was found, most to least certain. */
export const EDGE_KINDS = ["explicit", "tool_call", "message_id", "content", "tree", "control"] as const;

/** One node of the run's graph. */
export const reportNodeSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(NODE_KINDS),
  name: z.string(),
  role: z.string().optional(),
  value: reportTextSchema,
  spanId: z.string().optional(),
  /** For parameters: the content version (short sha256) of `value`. */
  version: z.string().optional(),
  feedback: z.array(reportFeedbackSchema),
  edits: z.array(reportEditSchema),
});

/** One data-flow edge: the value of `from` fed `to`. */
export const reportEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  kind: z.enum(EDGE_KINDS),
  confidence: z.number().min(0).max(1),
  carriesFeedback: z.boolean(),
});

const usageSchema = z.object({
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cost: z.number().nonnegative().optional(),
});

/** One version of a parameter, and the version it came from. */
export const parameterVersionSchema = z.object({
  version: z.string(),
  parent: z.string().optional(),
  round: z.number().int().positive().optional(),
  step: z.number().int().nonnegative().optional(),
  accepted: z.boolean(),
  score: z.number().nullable().optional(),
  value: reportTextSchema,
  /** Word diff from the parent version's value, computed while both texts were at hand. */
  diff: z.array(diffPartSchema).optional(),
});

/** One optimization step as the report keeps it. */
export const reportStepSchema = z.object({
  step: z.number().int().nonnegative(),
  accepted: z.boolean(),
  /** The score of the step's candidate (null when it was not scored, e.g. rejected before validation). */
  score: z.number().nullable(),
  /** The score the run continued from after the step (the best so far, with a gate). */
  best: z.number().nullable().optional(),
  reason: z.string().optional(),
  proposals: z.array(z.object({ parameter: z.string(), version: z.string(), value: reportTextSchema })),
  usage: usageSchema.optional(),
});

/** What the report is about, as a whole. */
export const reportRunSchema = z.object({
  kind: z.enum(["refine-outputs", "refine-prompts", "optimize", "graph"]),
  /** ISO 8601 time the report was made. */
  createdAt: z.string(),
  /** The tracegrad version that wrote it. */
  tracegrad: z.string(),
  traceId: z.string().optional(),
  usage: usageSchema.optional(),
  evaluation: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  score: z.object({ baseline: z.number().nullable(), best: z.number().nullable() }).optional(),
  steps: z.array(reportStepSchema),
  parameters: z.array(z.object({ id: z.string(), role: z.string().optional(), versions: z.array(parameterVersionSchema) })),
  /** Why the run ended, when it ended early (budget, interrupt). */
  stopReason: z.string().optional(),
  warnings: z.array(z.string()),
});

/**
 * The gradient report. Parse foreign input with {@link readGradientReport} (typed error naming the path), or with
 * `gradientReportSchema.safeParse(json)` directly.
 */
export const gradientReportSchema = z.object({
  version: z.literal(GRADIENT_REPORT_VERSION),
  run: reportRunSchema,
  nodes: z.array(reportNodeSchema),
  edges: z.array(reportEdgeSchema),
});

/** A gradient report (see {@link gradientReportSchema}). */
export type GradientReport = z.infer<typeof gradientReportSchema>;
/** A node of a {@link GradientReport}. */
export type ReportNode = z.infer<typeof reportNodeSchema>;
/** An edge of a {@link GradientReport}. */
export type ReportEdge = z.infer<typeof reportEdgeSchema>;
/** A feedback entry of a {@link ReportNode}. */
export type ReportFeedback = z.infer<typeof reportFeedbackSchema>;
/** An edit entry of a {@link ReportNode}. */
export type ReportEdit = z.infer<typeof reportEditSchema>;
/** A text as the report keeps it. */
export type ReportText = z.infer<typeof reportTextSchema>;
/** One part of a word diff. */
export type DiffPart = z.infer<typeof diffPartSchema>;
/** The run-level part of a {@link GradientReport}. */
export type ReportRun = z.infer<typeof reportRunSchema>;
/** A step of a {@link ReportRun}. */
export type ReportStep = z.infer<typeof reportStepSchema>;
/** A parameter version of a {@link ReportRun}. */
export type ParameterVersion = z.infer<typeof parameterVersionSchema>;
