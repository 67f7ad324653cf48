/**
 * @module registry/prompt-store
 * Where a prompt registry keeps its prompts. The registry holds the rules (names, immutable versions, movable labels,
 * `latest`, typed errors); a store only keeps documents and makes each write atomic. The embedded file store is the
 * default; a remote store (Langfuse, a database, an HTTP service) implements the same four methods.
 */
import { z } from "zod";

/** Where a version came from: free-form JSON, e.g. `{ run: "runs/prod-1", step: 4, traces: […], feedback: […] }`. */
export type PromptSource = { readonly [key: string]: unknown };

/** One immutable version as stored. */
export interface StoredVersion {
  readonly version: number;
  readonly text: string;
  /** The version it was derived from (same prompt), if any. */
  readonly parent?: number;
  readonly source?: PromptSource;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** A prompt as stored: its versions (ascending, 1, 2, …) and its labels (label → version). */
export interface PromptDocument {
  readonly name: string;
  readonly labels: Readonly<Record<string, number>>;
  readonly versions: readonly StoredVersion[];
}

/** What {@link PromptStore.publish} stores: a version without its number (the store assigns the next one). */
export interface VersionDraft {
  readonly text: string;
  readonly parent?: number;
  readonly source?: PromptSource;
  readonly createdAt: string;
  /** Labels to move to the new version, `latest` included (the registry adds it). */
  readonly labels: readonly string[];
}

/**
 * The storage behind a prompt registry. Every write is atomic: a reader sees a prompt before or after a publish, never
 * half of one, and two writers (two processes) never lose each other's versions.
 *
 * @example
 * // a remote store: the same four methods over HTTP
 * const store: PromptStore = {
 *   get: async (name) => (await fetch(`${base}/prompts/${name}`)).json(),
 *   list: async () => (await fetch(`${base}/prompts`)).json(),
 *   publish: async (name, draft) => (await post(`${base}/prompts/${name}/versions`, draft)).version,
 *   setLabel: async (name, label, version) => void (await post(`${base}/prompts/${name}/labels`, { label, version })),
 * };
 * const registry = promptRegistry({ store });
 */
export interface PromptStore {
  /** The prompt, or undefined when no prompt of that name exists. Throws when the store cannot answer. */
  get(name: string): Promise<PromptDocument | undefined>;
  /** Names of all stored prompts, sorted. */
  list(): Promise<string[]>;
  /**
   * Appends a version with the next number (1 for a new prompt) and moves `draft.labels` to it, atomically.
   * Returns the new version number.
   */
  publish(name: string, draft: VersionDraft): Promise<number>;
  /** Points `label` at `version`, atomically. The registry has checked that the version exists. */
  setLabel(name: string, label: string, version: number): Promise<void>;
  /**
   * Optional synchronous read, for stores that can (the file store): lets a registry param load its text on first read
   * inside a synchronous `.value`. Stores without it load in the background and serve the fallback meanwhile.
   */
  getSync?(name: string): PromptDocument | undefined;
}

const VersionSchema = z
  .object({
    version: z.number().int().positive(),
    text: z.string(),
    parent: z.number().int().positive().optional(),
    source: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.string().min(1),
  })
  .strict();

/** The schema of a stored prompt document (what the file store writes and checks on every read). */
export const PromptDocumentSchema = z
  .object({
    name: z.string().min(1),
    labels: z.record(z.string(), z.number().int().positive()),
    versions: z.array(VersionSchema),
  })
  .strict()
  .superRefine((doc, ctx) => {
    doc.versions.forEach((v, i) => {
      if (v.version !== i + 1) ctx.addIssue({ code: "custom", message: `versions[${i}] is version ${v.version}; versions must be 1, 2, … in order`, path: ["versions", i] });
    });
    for (const [label, version] of Object.entries(doc.labels)) {
      if (version > doc.versions.length) ctx.addIssue({ code: "custom", message: `label "${label}" points at version ${version}, which does not exist`, path: ["labels", label] });
    }
  });
