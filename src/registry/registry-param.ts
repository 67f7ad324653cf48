/**
 * @module registry/registry-param
 * A `Param` whose text comes from a prompt registry: `.value` is the text of the labelled version (or, for a run in
 * the canary share, of the canary's version), and every read is recorded twice — as a `param()` read (the graph and
 * the optimizer see an ordinary parameter) and as a prompt use (`gen_ai.prompt.name`, `tracegrad.prompt.version`,
 * `tracegrad.prompt.label`), from which canary reports roll scores up per version.
 */
import { context, trace as otelTrace } from "@opentelemetry/api";
import { PromptNotFoundError, PromptStoreError } from "../errors.js";
import { Param } from "../trace/param.js";
import { peekValue } from "../trace/peek-value.js";
import { inCanary } from "./canary-bucket.js";
import { promptUseAttributes, readingSpan, type PromptUse } from "./prompt-attributes.js";
import type { PromptDocument } from "./prompt-store.js";

/** The label recorded for a read that served a text set locally with `setValue()` (e.g. by an optimizer). */
export const LOCAL_LABEL = "local";

/** The label recorded for a read that served the `fallback` text. */
export const FALLBACK_LABEL = "fallback";

/** A canary: runs whose trace-id bucket is below `share` read the version under `label`. */
export interface CanaryOptions {
  /** The label of the version on trial, e.g. "candidate". */
  readonly label: string;
  /** The share of runs that read it, in [0, 1]. */
  readonly share: number;
}

/** What the registry gives its params (kept here, so this file does not import the registry). */
export interface ParamBackend {
  /** The prompt as last loaded (refreshed synchronously when stale and the store can; else in the background). */
  snapshot(name: string, ttlMs: number): { readonly document: PromptDocument | undefined; readonly loaded: boolean; readonly pending: boolean };
  /** Reports a problem at most once per `ttlMs` per key. */
  warn(key: string, error: Error, ttlMs: number): void;
  /** Loads the prompt now (awaiting the store), replacing the cached copy unless the store fails. */
  reload(name: string): Promise<void>;
  /** Runs the param's automatic canary check (see `autoRollback`). */
  autoCheck?(name: string): Promise<void>;
  now(): number;
}

/** How a {@link RegistryParam} is set up (resolved options of `registry.param`). */
export interface RegistryParamSetup {
  readonly name: string;
  readonly role: string;
  readonly fallback: string;
  readonly label: string;
  readonly canary: CanaryOptions | undefined;
  readonly ttlMs: number;
  readonly backend: ParamBackend;
}

/**
 * A prompt read from a registry, made by `registry.param()`. It is a {@link Param} (tracing, graphs, `refine` and
 * the optimizers treat it as one). `setValue()` (what an optimizer's apply does) makes it serve that text locally,
 * recorded with label "local", until {@link RegistryParam.followRegistry} is called.
 *
 * @example
 * const planner = registry.param("planner.system", { role: "system prompt of the planner", fallback: "You plan." });
 * planner.value; // text of the version labelled "production"
 */
export class RegistryParam extends Param {
  readonly #setup: RegistryParamSetup;
  #local: string | undefined;
  #isFallback = false;
  #lastUse: PromptUse | undefined;
  #nextCheck: number;

  constructor(setup: RegistryParamSetup) {
    super(setup.fallback, { role: setup.role, requiresGrad: true, id: setup.name });
    this.#setup = setup;
    this.#nextCheck = setup.backend.now() + setup.ttlMs;
  }

  /** The prompt's name in the registry (also its param id). */
  get name(): string {
    return this.#setup.name;
  }

  /** The label read by runs outside the canary ("production" unless `label` was given). */
  get label(): string {
    return this.#setup.label;
  }

  /** True when the last read served the `fallback` text (the registry had no copy to serve). */
  get isFallback(): boolean {
    return this.#isFallback;
  }

  /** The version and label of the last read (`version` undefined for fallback and local texts). */
  get lastUse(): PromptUse | undefined {
    return this.#lastUse;
  }

  /**
   * The text this run reads: the labelled version, or the canary's for a run in the canary share (chosen from the
   * active span's trace id; a read outside any span gets the base label), the last good copy if the store fails,
   * else the fallback. Recorded on the active span. Never throws: problems are warnings.
   */
  override get value(): string {
    const { text, use } = this.#resolve();
    // keep the Variable's own text in step, so attributes and peekValue() show what this read served
    if (peekValue(this) !== text) super.setValue(text);
    this.#isFallback = use.label === FALLBACK_LABEL;
    this.#lastUse = use;
    try {
      readingSpan()?.setAttributes(promptUseAttributes(use));
    } catch {
      // a span that refuses attributes must not break the agent's read
    }
    this.#maybeCheckCanary();
    return super.value; // records the param() read
  }

  /** Serves `value` locally (recorded with label "local") until {@link followRegistry}; what an optimizer's apply does. */
  override setValue(value: string): void {
    super.setValue(value);
    this.#local = value;
  }

  /** Drops a local `setValue()` text: the next read serves the registry's version again. */
  followRegistry(): void {
    this.#local = undefined;
  }

  /**
   * Loads the prompt from the store now (awaiting it), and runs the canary check if `autoRollback` is set. Use it to
   * warm the cache at startup with a store that cannot read synchronously.
   */
  async refresh(): Promise<void> {
    const { backend, name } = this.#setup;
    await backend.reload(name);
    if (backend.autoCheck) {
      this.#nextCheck = backend.now() + this.#setup.ttlMs;
      await backend.autoCheck(name);
    }
  }

  #resolve(): { text: string; use: PromptUse } {
    const { name, fallback, canary, backend, ttlMs } = this.#setup;
    if (this.#local !== undefined) return { text: this.#local, use: { name, version: undefined, label: LOCAL_LABEL } };
    let label = this.#setup.label;
    if (canary && canary.share > 0) {
      // outside any span there is no run to place: the read gets the base label (documented, not a fault)
      const traceId = otelTrace.getSpanContext(context.active())?.traceId;
      if (traceId !== undefined && inCanary(traceId, canary.share)) label = canary.label;
    }
    const { document, loaded, pending } = backend.snapshot(name, ttlMs);
    let version = document?.labels[label];
    if (document !== undefined && version === undefined && label !== this.#setup.label) {
      backend.warn(`${name}:label:${label}`, new PromptNotFoundError(`prompt "${name}" has no label "${label}" (the canary's); canary runs read label "${this.#setup.label}" instead.`, { subject: name }), ttlMs);
      label = this.#setup.label;
      version = document?.labels[label];
    }
    const stored = version === undefined ? undefined : document?.versions[version - 1];
    if (stored) return { text: stored.text, use: { name, version: stored.version, label } };
    if (pending) {
      backend.warn(`${name}:not-loaded`, new PromptStoreError(`prompt "${name}" is not loaded yet (the store reads asynchronously); the fallback text is served. Warm it at startup with await param.refresh().`, { subject: name }), ttlMs);
    } else if (loaded) {
      const why = document ? `has no label "${label}"` : "does not exist in the registry";
      backend.warn(`${name}:missing:${label}`, new PromptNotFoundError(`prompt "${name}" ${why}; the fallback text is served. Publish it, e.g. registry.publish("${name}", text, { labels: ["${label}"] }).`, { subject: name }), ttlMs);
    }
    return { text: fallback, use: { name, version: undefined, label: FALLBACK_LABEL } };
  }

  #maybeCheckCanary(): void {
    const { backend, name, ttlMs } = this.#setup;
    if (!backend.autoCheck || backend.now() < this.#nextCheck) return;
    this.#nextCheck = backend.now() + ttlMs;
    void backend.autoCheck(name).catch(() => {}); // autoCheck reports its own failures as warnings
  }
}
