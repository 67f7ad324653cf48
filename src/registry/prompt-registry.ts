/**
 * @module registry/prompt-registry
 * A prompt registry: names with immutable integer versions and movable labels (`production` is the default read,
 * `latest` follows each publish), stored in a {@link PromptStore} (one JSON file per prompt by default). Agents read
 * prompts through {@link PromptRegistry.param}: a `Param` that serves the labelled version, canaries a share of runs,
 * survives store outages and records each use on the active span.
 */
import { context } from "@opentelemetry/api";
import { InvalidArgumentError, PromptNotFoundError, PromptStoreError, TracegradError } from "../errors.js";
import { activeCapture } from "../trace/capture.js";
import { reportFault } from "../trace/fault-sink.js";
import { canaryReport } from "./canary-report.js";
import { fileStore } from "./file-store.js";
import { checkLabel, checkPromptName, checkVersionNumber, LATEST_LABEL, PRODUCTION_LABEL } from "./prompt-names.js";
import type { PromptDocument, PromptSource, PromptStore } from "./prompt-store.js";
import { RegistryParam, type ParamBackend } from "./registry-param.js";
import type { CanaryCheck, CanaryData, CheckCanaryOptions, PromptRegistryOptions, PromptSelector, PromptVersion, PublishOptions, RegistryParamOptions } from "./registry-options.js";

export type { CanaryCheck, CanaryData, CheckCanaryOptions, PromptRegistryOptions, PromptSelector, PromptVersion, PublishOptions, RegistryParamOptions } from "./registry-options.js";

interface CacheEntry {
  document: PromptDocument | undefined;
  loaded: boolean;
  fetchedAt: number;
  loading?: Promise<void>;
}

/**
 * The registry over one store. Made by {@link promptRegistry}.
 */
export class PromptRegistry {
  /** The store the registry reads and writes. */
  readonly store: PromptStore;
  readonly #ttlMs: number;
  readonly #onWarning: (warning: TracegradError) => void;
  readonly #now: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #warned = new Map<string, number>();

  constructor(store: PromptStore, options: PromptRegistryOptions) {
    this.store = store;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#onWarning = options.onWarning ?? ((w) => process.emitWarning(w.message, { type: w.name }));
    this.#now = options.now ?? Date.now;
  }

  /**
   * Stores `text` as the next version of `name` (1 for a new prompt) and returns its number. `latest` moves to it,
   * and so does every label in `labels`.
   *
   * @example
   * const v = await registry.publish("planner.system", text, { labels: ["candidate"], parent: 3, source: { run: "runs/prod-1", step: 4 } });
   * @throws InvalidArgumentError on a bad name, label, parent or text; PromptNotFoundError when `parent` does not exist;
   *   PromptStoreError when the store fails.
   */
  async publish(name: string, text: string, options: PublishOptions = {}): Promise<number> {
    checkPromptName(name, "publish");
    if (typeof text !== "string") throw new InvalidArgumentError(`publish("${name}") got a ${typeof text} text; prompts are strings.`, { subject: name });
    const labels = [...(options.labels ?? [])];
    for (const label of labels) checkLabel(label, `publish("${name}")`, true);
    if (options.parent !== undefined) checkVersionNumber(options.parent, `publish("${name}") parent`);
    if (options.source !== undefined && (options.source === null || typeof options.source !== "object" || Array.isArray(options.source))) {
      throw new InvalidArgumentError(`publish("${name}"): source must be a plain object, e.g. { run: "runs/prod-1", step: 4 }.`, { subject: name });
    }
    const source = options.source === undefined ? undefined : toJson(options.source, name);
    const version = await this.#write(name, () =>
      this.store.publish(name, { text, parent: options.parent, source, createdAt: new Date(this.#now()).toISOString(), labels: [...new Set([...labels, LATEST_LABEL])] }),
    );
    return version;
  }

  /**
   * Points `label` at `version` (promotion, rollback: versions never change, labels move).
   *
   * @example
   * await registry.setLabel("planner.system", "production", 4);
   * @throws InvalidArgumentError for "latest" or a bad label; PromptNotFoundError when the prompt or version does not exist.
   */
  async setLabel(name: string, label: string, version: number): Promise<void> {
    checkPromptName(name, "setLabel");
    checkLabel(label, `setLabel("${name}")`, true);
    checkVersionNumber(version, `setLabel("${name}", "${label}")`);
    const doc = await this.#document(name, "setLabel");
    if (version > doc.versions.length) {
      throw new PromptNotFoundError(`setLabel("${name}", "${label}", ${version}): version ${version} does not exist; "${name}" has versions 1–${doc.versions.length}.`, { subject: name });
    }
    await this.#write(name, () => this.store.setLabel(name, label, version));
  }

  /**
   * One version, by label (default `{ label: "production" }`) or by number.
   *
   * @example
   * const { version, text } = await registry.get("planner.system", { label: "production" });
   * @throws InvalidArgumentError when both label and version are given; PromptNotFoundError when the prompt, label
   *   or version does not exist (never a fallback).
   */
  async get(name: string, selector: PromptSelector = { label: PRODUCTION_LABEL }): Promise<PromptVersion> {
    checkPromptName(name, "get");
    const { label, version } = (selector ?? {}) as { label?: unknown; version?: unknown };
    if (label !== undefined && version !== undefined) {
      throw new InvalidArgumentError(`get("${name}") got both label "${String(label)}" and version ${String(version)}; ask for one: { label } or { version }.`, { subject: name });
    }
    if (label === undefined && version === undefined) throw new InvalidArgumentError(`get("${name}", {}) names neither a label nor a version; pass { label: "production" } or { version: 3 }.`, { subject: name });
    if (label !== undefined) checkLabel(label, `get("${name}")`, false);
    else checkVersionNumber(version, `get("${name}")`);
    const doc = await this.#document(name, "get");
    const n = label !== undefined ? doc.labels[label as string] : (version as number);
    if (n === undefined) {
      const known = Object.keys(doc.labels).sort().join(", ");
      throw new PromptNotFoundError(`get("${name}"): no label "${String(label)}" (labels: ${known || "none"}); set it with registry.setLabel("${name}", "${String(label)}", version).`, { subject: name });
    }
    if (n > doc.versions.length) throw new PromptNotFoundError(`get("${name}"): no version ${n}; "${name}" has versions 1–${doc.versions.length}.`, { subject: name });
    return versionOf(doc, n);
  }

  /**
   * All versions of `name`, oldest first.
   *
   * @throws PromptNotFoundError when there is no such prompt.
   */
  async versions(name: string): Promise<PromptVersion[]> {
    checkPromptName(name, "versions");
    const doc = await this.#document(name, "versions");
    return doc.versions.map((v) => versionOf(doc, v.version));
  }

  /** Names of all prompts in the store, sorted. */
  async list(): Promise<string[]> {
    return this.store.list();
  }

  /**
   * The prompt's labels as known now without waiting: read synchronously where the store can, else the params' cached
   * copy. Undefined when unknown. What {@link canaryReport} uses to tell the canary's version from production's.
   */
  labelsOf(name: string): Readonly<Record<string, number>> | undefined {
    if (this.store.getSync) {
      try {
        return this.store.getSync(name)?.labels;
      } catch {
        // fall through to the cached copy
      }
    }
    return this.#cache.get(name)?.document?.labels;
  }

  /**
   * A `Param` (see `param()`) whose text is the version of `name` under `label` ("production" by default): loaded on
   * first read (synchronously with the file store), re-read after the TTL, the last good copy served when the store
   * fails, else `fallback`. With `canary`, runs whose trace id falls in `share` read the canary's version instead.
   * Each read is recorded on the active span (`gen_ai.prompt.name`, `tracegrad.prompt.version`, `tracegrad.prompt.label`).
   *
   * @example
   * const planner = registry.param("planner.system", { role: "system prompt of the planner", fallback: "You choose the modules…", canary: { label: "candidate", share: 0.1 } });
   * @throws InvalidArgumentError on a bad name, role, fallback, label, canary share or ttl.
   */
  param(name: string, options: RegistryParamOptions): RegistryParam {
    checkPromptName(name, "registry.param");
    if (!options || typeof options.role !== "string" || options.role.trim() === "") {
      throw new InvalidArgumentError(`registry.param("${name}") needs a role, e.g. { role: "system prompt of the planner", fallback: "…" }.`, { subject: name });
    }
    if (typeof options.fallback !== "string") {
      throw new InvalidArgumentError(`registry.param("${name}") needs a fallback text (served when the registry has no copy), e.g. the prompt as it is in your code.`, { subject: name });
    }
    const label = options.label ?? PRODUCTION_LABEL;
    checkLabel(label, `registry.param("${name}")`, false);
    const canary = options.canary;
    if (canary !== undefined) {
      checkLabel(canary.label, `registry.param("${name}") canary`, false);
      if (!(typeof canary.share === "number" && canary.share >= 0 && canary.share <= 1)) {
        throw new InvalidArgumentError(`registry.param("${name}"): canary share must be a number in [0, 1], e.g. 0.1; got ${String(canary.share)}.`, { subject: name });
      }
      if (canary.label === label) throw new InvalidArgumentError(`registry.param("${name}"): the canary label "${label}" is the label read anyway; use another label, e.g. "candidate".`, { subject: name });
    }
    if (options.autoRollback !== undefined && canary === undefined) {
      throw new InvalidArgumentError(`registry.param("${name}"): autoRollback needs a canary to watch; add canary: { label: "candidate", share: 0.1 }.`, { subject: name });
    }
    const ttlMs = options.ttlMs ?? this.#ttlMs;
    if (!(typeof ttlMs === "number" && ttlMs >= 0)) throw new InvalidArgumentError(`registry.param("${name}"): ttlMs must be a number ≥ 0.`, { subject: name });
    const auto = options.autoRollback;
    const backend: ParamBackend = {
      snapshot: (n, ttl) => this.#snapshot(n, ttl),
      warn: (key, error, ttl) => this.#warn(key, error, ttl),
      reload: (n) => this.#reload(n),
      now: this.#now,
      ...(auto && canary
        ? {
            autoCheck: async () => {
              try {
                const check = await this.checkCanary(name, { ...auto, canaryLabel: canary.label, baseLabel: label });
                if (check.applied) {
                  this.#warn(`${name}:rolled-back:${check.applied.from}`, new TracegradError(`prompt "${name}": canary version ${check.applied.from} rolled back — label "${check.applied.label}" now points at version ${check.applied.to} (${check.reason}).`, { subject: name }), 0);
                }
              } catch (error) {
                this.#warn(`${name}:auto-check`, new PromptStoreError(`prompt "${name}": the automatic canary check failed (${(error as Error).message}); it runs again after the TTL.`, { subject: name, cause: error }), ttlMs);
              }
            },
          }
        : {}),
    };
    return new RegistryParam({ name, role: options.role, fallback: options.fallback, label, canary, ttlMs, backend });
  }

  /**
   * Computes {@link canaryReport} for `name` and applies a "rollback": the canary label is moved to the base label's
   * version, so canary runs read production again. With `promote: true` a "promote" moves the base label to the
   * canary's version. What `autoRollback` runs every TTL.
   *
   * @example
   * const check = await registry.checkCanary("planner.system", { traces: () => readTraces("traces/"), feedback: () => readFeedback("feedback.jsonl") });
   * check.decision; // "rollback"; check.applied → { label: "candidate", from: 5, to: 4 }
   */
  async checkCanary(name: string, options: CheckCanaryOptions): Promise<CanaryCheck> {
    checkPromptName(name, "checkCanary");
    await this.#reload(name);
    const [traces, feedback] = await Promise.all([load(options.traces), load(options.feedback)]);
    const canaryLabel = options.canaryLabel ?? "candidate";
    const baseLabel = options.baseLabel ?? PRODUCTION_LABEL;
    const report = canaryReport({ registry: this, name, traces, feedback, canaryLabel, baseLabel, minSamples: options.minSamples, confidence: options.confidence, metric: options.metric });
    if (report.canary === undefined || report.base === undefined) return report;
    if (report.decision === "rollback") {
      await this.setLabel(name, canaryLabel, report.base);
      return { ...report, applied: { label: canaryLabel, from: report.canary, to: report.base } };
    }
    if (report.decision === "promote" && options.promote === true) {
      await this.setLabel(name, baseLabel, report.canary);
      return { ...report, applied: { label: baseLabel, from: report.base, to: report.canary } };
    }
    return report;
  }

  /** The stored document, or PromptNotFoundError. */
  async #document(name: string, where: string): Promise<PromptDocument> {
    let doc: PromptDocument | undefined;
    try {
      doc = await this.store.get(name);
    } catch (error) {
      throw storeError(error, name, `${where}("${name}")`);
    }
    if (!doc) throw new PromptNotFoundError(`${where}("${name}"): no prompt named "${name}"; publish it first with registry.publish("${name}", text).`, { subject: name });
    return doc;
  }

  /** Runs a store write; the cached copy is dropped so this process's params see the change at their next read. */
  async #write<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw storeError(error, name, `writing prompt "${name}"`);
    } finally {
      const entry = this.#cache.get(name);
      if (entry) entry.fetchedAt = -Infinity;
    }
  }

  #snapshot(name: string, ttlMs: number): { document: PromptDocument | undefined; loaded: boolean; pending: boolean } {
    let entry = this.#cache.get(name);
    if (!entry) {
      entry = { document: undefined, loaded: false, fetchedAt: -Infinity };
      this.#cache.set(name, entry);
    }
    const now = this.#now();
    if (now - entry.fetchedAt >= ttlMs) {
      if (this.store.getSync) {
        entry.fetchedAt = now;
        try {
          entry.document = this.store.getSync(name);
          entry.loaded = true;
        } catch (error) {
          this.#storeFailed(name, entry, error, ttlMs);
        }
      } else if (!entry.loading) {
        void this.#reload(name, ttlMs);
      }
    }
    return { document: entry.document, loaded: entry.loaded, pending: !entry.loaded && entry.loading !== undefined };
  }

  /** Loads `name` from the store (awaiting it); on failure the cached copy stays and a warning is given. */
  #reload(name: string, ttlMs = this.#ttlMs): Promise<void> {
    let entry = this.#cache.get(name);
    if (!entry) {
      entry = { document: undefined, loaded: false, fetchedAt: -Infinity };
      this.#cache.set(name, entry);
    }
    const e = entry;
    if (e.loading) return e.loading;
    e.loading = (async () => {
      try {
        e.document = await this.store.get(name);
        e.loaded = true;
      } catch (error) {
        this.#storeFailed(name, e, error, ttlMs);
      } finally {
        e.fetchedAt = this.#now();
        e.loading = undefined;
      }
    })();
    return e.loading;
  }

  #storeFailed(name: string, entry: CacheEntry, error: unknown, ttlMs: number): void {
    const served = entry.document ? "the last good copy is served" : "the fallback text is served";
    const cause = error instanceof Error ? error.message : String(error);
    this.#warn(`${name}:store`, new PromptStoreError(`prompt "${name}": the prompt store failed (${cause}); ${served} and the store is read again after ${ttlMs} ms.`, { subject: name, cause: error }), ttlMs);
  }

  /** Hands a warning to `onWarning` and to the active trace() run's `onError`, at most once per `ttlMs` per key. */
  #warn(key: string, error: TracegradError | Error, ttlMs: number): void {
    const now = this.#now();
    const last = this.#warned.get(key);
    if (last !== undefined && now - last < Math.max(ttlMs, 1)) return;
    this.#warned.set(key, now);
    const warning = TracegradError.isInstance(error) ? error : new TracegradError(error.message, { cause: error });
    reportFault(activeCapture(context.active()), warning, `prompt registry`);
    try {
      this.#onWarning(warning);
    } catch {
      // a throwing warning hook must not reach the agent's read
    }
  }
}

/**
 * Opens a prompt registry over a directory (the embedded file store: one JSON file per prompt, git-friendly) or over
 * any {@link PromptStore}.
 *
 * @example
 * const registry = promptRegistry({ dir: "prompts" });
 * const v = await registry.publish("planner.system", "You choose the modules…", { labels: ["production"] });
 * (await registry.get("planner.system")).version === v; // true
 * @throws InvalidArgumentError unless exactly one of `dir` and `store` is given; PromptStoreError when `dir` cannot be created.
 */
export function promptRegistry(options: PromptRegistryOptions): PromptRegistry {
  if (!options || (options.dir === undefined) === (options.store === undefined)) {
    throw new InvalidArgumentError(`promptRegistry() needs exactly one of { dir } (the embedded file store, e.g. { dir: "prompts" }) or { store } (a PromptStore).`);
  }
  if (options.ttlMs !== undefined && !(typeof options.ttlMs === "number" && options.ttlMs >= 0)) {
    throw new InvalidArgumentError(`promptRegistry(): ttlMs must be a number ≥ 0 (milliseconds), e.g. 60000.`);
  }
  const store = options.store ?? fileStore({ dir: options.dir! });
  for (const method of ["get", "list", "publish", "setLabel"] as const) {
    if (typeof store[method] !== "function") throw new InvalidArgumentError(`promptRegistry(): the store has no ${method}() method; a PromptStore implements get, list, publish and setLabel.`);
  }
  return new PromptRegistry(store, options);
}

function versionOf(doc: PromptDocument, n: number): PromptVersion {
  const v = doc.versions[n - 1]!;
  const labels = Object.entries(doc.labels)
    .filter(([, version]) => version === n)
    .map(([label]) => label)
    .sort();
  return { name: doc.name, version: v.version, text: v.text, labels, parent: v.parent, source: v.source, createdAt: v.createdAt };
}

function storeError(error: unknown, name: string, where: string): unknown {
  if (TracegradError.isInstance(error)) return error;
  return new PromptStoreError(`${where}: the prompt store failed (${error instanceof Error ? error.message : String(error)}).`, { subject: name, cause: error });
}

/** `source` as plain JSON (it is stored as such); a value JSON cannot hold is an error, not a silent change. */
function toJson(source: PromptSource, name: string): PromptSource {
  try {
    return JSON.parse(JSON.stringify(source)) as PromptSource;
  } catch (error) {
    throw new InvalidArgumentError(`publish("${name}"): source cannot be stored as JSON (${(error as Error).message}).`, { subject: name, cause: error });
  }
}

async function load<T>(value: Iterable<T> | (() => Iterable<T> | Promise<Iterable<T>>)): Promise<T[]> {
  return [...(typeof value === "function" ? await value() : value)];
}
