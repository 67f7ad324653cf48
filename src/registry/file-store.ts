/**
 * @module registry/file-store
 * The embedded prompt store: one pretty-printed JSON file per prompt (`<dir>/<name>.json`), keys in a fixed order so
 * files diff cleanly in git. Writes take a lock file (proper-lockfile, safe across processes, stale locks of killed
 * writers expire) and replace the file atomically, so readers never lock and never see half a write.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { PromptNotFoundError, PromptStoreError } from "../errors.js";
import { removeTempFiles, writeFileAtomic } from "./atomic-write.js";
import { PromptDocumentSchema, type PromptDocument, type PromptStore, type StoredVersion, type VersionDraft } from "./prompt-store.js";
import { sortKeys } from "./stable-json.js";

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /** The directory holding one JSON file per prompt (created if missing). */
  readonly dir: string;
  /** How long a write waits for another writer's lock before failing (default 30 s). */
  readonly lockTimeoutMs?: number;
  /**
   * A lock not refreshed for this long belongs to a killed writer and is taken over (default 5 s, at least 2 s).
   * Live writers refresh theirs every fifth of it.
   */
  readonly staleLockMs?: number;
}

/**
 * The default {@link PromptStore}: files under `dir`, safe for several processes writing at once.
 *
 * @example
 * const registry = promptRegistry({ store: fileStore({ dir: "prompts" }) }); // same as promptRegistry({ dir: "prompts" })
 * @throws PromptStoreError when `dir` cannot be created.
 */
export function fileStore(options: FileStoreOptions): PromptStore {
  const dir = path.resolve(options.dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new PromptStoreError(`promptRegistry: cannot create the prompt directory "${dir}" (${codeOf(error)}); pass { dir } a path that can be created and written.`, {
      subject: dir,
      cause: error,
    });
  }
  const fileOf = (name: string) => path.join(dir, `${name}.json`);
  const lock = { timeoutMs: options.lockTimeoutMs ?? 30_000, staleMs: Math.max(options.staleLockMs ?? 5_000, 2_000) };

  const getSync = (name: string): PromptDocument | undefined => readDocument(fileOf(name), name);

  return {
    getSync,
    get: async (name) => getSync(name),
    list: async () => listNames(dir),
    publish: (name, draft) =>
      withLock(fileOf(name), name, lock, async (file) => {
        const doc = readDocument(file, name) ?? { name, labels: {}, versions: [] };
        const version = doc.versions.length + 1;
        if (draft.parent !== undefined && draft.parent >= version) {
          throw new PromptNotFoundError(`publish("${name}"): parent version ${draft.parent} does not exist (the prompt has ${doc.versions.length} versions).`, { subject: name });
        }
        const labels: Record<string, number> = { ...doc.labels };
        for (const label of draft.labels) labels[label] = version;
        const entry: StoredVersion = { version, createdAt: draft.createdAt, parent: draft.parent, source: draft.source, text: draft.text };
        await writeFileAtomic(file, serialize({ name, labels, versions: [...doc.versions, entry] }));
        return version;
      }),
    setLabel: (name, label, version) =>
      withLock(fileOf(name), name, lock, async (file) => {
        const doc = readDocument(file, name);
        if (!doc || version > doc.versions.length) {
          throw new PromptNotFoundError(`setLabel("${name}", "${label}", ${version}): ${doc ? `version ${version} does not exist (latest is ${doc.versions.length})` : "no such prompt"}.`, { subject: name });
        }
        await writeFileAtomic(file, serialize({ ...doc, labels: { ...doc.labels, [label]: version } }));
      }),
  };
}

/** The document in `file`, undefined when there is none; a file that is unreadable or not a valid document throws. */
function readDocument(file: string, name: string): PromptDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw new PromptStoreError(`prompt "${name}": cannot read ${file} (${codeOf(error)}).`, { subject: name, cause: error });
  }
  let parsed;
  try {
    parsed = PromptDocumentSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw new PromptStoreError(`prompt "${name}": ${file} is not valid JSON (${(error as Error).message}); restore it from git or a backup.`, { subject: name, cause: error });
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PromptStoreError(`prompt "${name}": ${file} is not a prompt document (${issue?.path.join(".") || "root"}: ${issue?.message}); restore it from git or a backup.`, {
      subject: name,
      cause: parsed.error,
    });
  }
  if (parsed.data.name !== name) {
    throw new PromptStoreError(`prompt "${name}": ${file} holds prompt "${parsed.data.name}"; a prompt file must be named after its prompt.`, { subject: name });
  }
  return parsed.data;
}

/** The file text: name, labels (sorted), versions (fields in a fixed order, text last), 2-space indent, final newline. */
function serialize(doc: PromptDocument): string {
  const versions = doc.versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    ...(v.parent === undefined ? {} : { parent: v.parent }),
    ...(v.source === undefined ? {} : { source: sortKeys(v.source) }),
    text: v.text,
  }));
  return `${JSON.stringify({ name: doc.name, labels: sortKeys(doc.labels), versions }, null, 2)}\n`;
}

/** Runs `fn` holding the write lock of `file`; the lock is released however `fn` ends. */
async function withLock<T>(file: string, name: string, lock: { timeoutMs: number; staleMs: number }, fn: (file: string) => Promise<T>): Promise<T> {
  const { timeoutMs, staleMs } = lock;
  await mkdir(path.dirname(file), { recursive: true });
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: staleMs,
      update: Math.max(staleMs / 5, 1_000),
      retries: { retries: Math.ceil(timeoutMs / 100), factor: 1, minTimeout: 20, maxTimeout: 100, randomize: true },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    throw new PromptStoreError(`prompt "${name}": could not lock ${file} for writing within ${timeoutMs} ms (${(error as Error).message}); another writer holds it — retry, or raise lockTimeoutMs.`, {
      subject: name,
      cause: error,
    });
  }
  try {
    await removeTempFiles(file);
    const result = await fn(file);
    if (compromised) throw new PromptStoreError(`prompt "${name}": the write lock on ${file} was lost during the write (${compromised.message}); check the prompt's versions and retry.`, { subject: name, cause: compromised });
    return result;
  } finally {
    await release().catch(() => {});
  }
}

/** Prompt names under `dir` (files `*.json`, folders as `/`), sorted. */
function listNames(dir: string): string[] {
  const names: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !entry.name.endsWith(".lock")) walk(rel);
      else if (entry.isFile() && entry.name.endsWith(".json")) names.push(rel.slice(0, -".json".length));
    }
  };
  try {
    statSync(dir);
    walk("");
  } catch (error) {
    throw new PromptStoreError(`cannot list prompts in ${dir} (${codeOf(error)}).`, { subject: dir, cause: error });
  }
  return names.sort();
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
