/**
 * @module registry/registry-options
 * The registry's public shapes: its options, what publish/get/param/checkCanary take, and what they return.
 */
import type { TracegradError } from "../errors.js";
import type { CanaryFeedback, CanaryReport, CanaryTrace } from "./canary-report.js";
import type { PromptStore, PromptSource } from "./prompt-store.js";
import type { CanaryOptions } from "./registry-param.js";

/** Options of {@link promptRegistry}: a directory for the embedded file store, or any {@link PromptStore}. */
export interface PromptRegistryOptions {
  /** Directory of the embedded file store (one JSON file per prompt). */
  readonly dir?: string;
  /** A store to use instead (e.g. a remote one). Give `dir` or `store`, not both. */
  readonly store?: PromptStore;
  /** How long params serve a loaded copy before reading the store again (default 60 000 ms). */
  readonly ttlMs?: number;
  /**
   * Receives warnings: a store failure (the last good copy or the fallback is served), a missing prompt or label, an
   * automatic rollback. Default: `process.emitWarning`. Inside trace() they also go to the run's `onError`.
   */
  readonly onWarning?: (warning: TracegradError) => void;
  /** The clock (ms), for TTLs and `createdAt` (default `Date.now`). */
  readonly now?: () => number;
}

/** Options of {@link PromptRegistry.publish}. */
export interface PublishOptions {
  /** Labels to move to the new version, e.g. ["candidate"] or ["production"]. `latest` moves by itself. */
  readonly labels?: readonly string[];
  /** The version this one was derived from. */
  readonly parent?: number;
  /** Where it came from, e.g. `{ run: "runs/prod-1", step: 4 }` (any JSON). */
  readonly source?: PromptSource;
}

/** A version as the registry returns it. */
export interface PromptVersion {
  readonly name: string;
  readonly version: number;
  readonly text: string;
  /** Labels pointing at this version now, sorted. */
  readonly labels: readonly string[];
  readonly parent: number | undefined;
  readonly source: PromptSource | undefined;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** Which version to get: by label or by number, never both. */
export type PromptSelector = { readonly label: string; readonly version?: undefined } | { readonly version: number; readonly label?: undefined };

/** Where a canary check reads its runs and feedback: arrays, or functions that load them (e.g. `() => readTraces("traces/")`). */
export interface CanaryData {
  readonly traces: Iterable<CanaryTrace> | (() => Iterable<CanaryTrace> | Promise<Iterable<CanaryTrace>>);
  readonly feedback: Iterable<CanaryFeedback> | (() => Iterable<CanaryFeedback> | Promise<Iterable<CanaryFeedback>>);
}

/** Options of {@link PromptRegistry.param}. */
export interface RegistryParamOptions {
  /** What the text is for (as in `param()`). */
  readonly role: string;
  /** The text served when the registry has no copy (prompt not published yet, store down before the first load). */
  readonly fallback: string;
  /** The label read (default "production"). */
  readonly label?: string;
  /** Serve the version under `canary.label` to a share of runs, chosen by trace id. */
  readonly canary?: CanaryOptions;
  /**
   * Check the canary every TTL (on a read, in the background) with this data, and move the canary label back to the
   * base label's version when the decision is "rollback" (see {@link PromptRegistry.checkCanary}).
   */
  readonly autoRollback?: CanaryData & { readonly minSamples?: number; readonly confidence?: number; readonly metric?: string };
  /** Overrides the registry's TTL for this param. */
  readonly ttlMs?: number;
}

/** Options of {@link PromptRegistry.checkCanary}. */
export interface CheckCanaryOptions extends CanaryData {
  /** The canary's label (default "candidate"). */
  readonly canaryLabel?: string;
  /** The label compared with (default "production"). */
  readonly baseLabel?: string;
  readonly minSamples?: number;
  readonly confidence?: number;
  readonly metric?: string;
  /** Also apply "promote" (move the base label to the canary's version). Default false: rollback only. */
  readonly promote?: boolean;
}

/** What {@link PromptRegistry.checkCanary} returns: the report and the label move it made, if any. */
export interface CanaryCheck extends CanaryReport {
  readonly applied?: { readonly label: string; readonly from: number; readonly to: number };
}
