/**
 * @module optim/optimize/base-schema
 * The zod pieces both variants of optimize() check their options with: the loop's shared options, and the helpers
 * that build the variant-specific fields.
 */
import { z } from "zod";
import type { EngineLike } from "../../engine/engine-like.js";
import { UPDATE_MODES, type UpdateMode } from "../tgd.js";

/** A function option; `what` shows its expected signature in the error. */
export const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { message: `must be a function (${what})` });

/** A whole number of at least `min`. */
export const count = (min: number) => z.number().int().min(min);

/** An Engine or a LangChain chat model; `what` says what it is for. */
export const engineLike = (what?: string) =>
  z.custom<EngineLike>((v) => typeof v === "object" && v !== null && (typeof (v as { generate?: unknown }).generate === "function" || typeof (v as { invoke?: unknown }).invoke === "function"), {
    message: `must be an Engine (an object with generate(request)) or a LangChain chat model${what ? ` (${what})` : ""}`,
  });

/** The loop's options, shared by both variants (see OptimizeOptionsBase). */
export const loopOptionFields = {
  steps: count(0).optional(),
  batchSize: count(1).optional(),
  selection: z.enum(["greedy", "pareto"]).optional(),
  gate: z.boolean().optional(),
  checkpointDir: z.string().min(1).optional(),
  budget: z.strictObject({ maxCalls: z.number().min(0).optional(), maxTokens: z.number().min(0).optional(), maxCost: z.number().min(0).optional() }).optional(),
  prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })).optional(),
  onEvent: fn("(event) => void").optional(),
  seed: z.number().int().optional(),
  perfectScore: z.number().optional(),
  concurrency: count(1).optional(),
  constraints: z.array(z.string()).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: "must be an AbortSignal (new AbortController().signal)" }).optional(),
  update: z.enum(UPDATE_MODES as [UpdateMode, ...UpdateMode[]]).optional(),
  guard: z.union([z.literal(false), z.strictObject({ minAnswerChars: count(1).optional(), minSpanWords: count(2).optional() })]).optional(),
};
