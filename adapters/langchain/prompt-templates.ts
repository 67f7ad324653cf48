/**
 * @module adapters/langchain/prompt-templates
 * The templates of a prompt run, read from its `serialized` form (the only place LangChain exposes them to callbacks).
 * Every message template is kept — OpenInference's LangChain instrumentation keeps only the first, which loses the
 * human template.
 */
import { Serializable } from "@langchain/core/load/serializable";
import { safeText } from "../../src/trace/adapter-kit.js";
import { contentText, genAiRole } from "./messages.js";

type Loose = Record<string, unknown>;

/** One message template of a chat prompt. */
export interface MessageTemplate {
  /** GenAI role (system, user, assistant, …), "placeholder" for a MessagesPlaceholder, "" for a string PromptTemplate. */
  readonly role: string;
  readonly template: string;
}

/**
 * The templates in a serialized prompt: one entry per chat message template (MessagesPlaceholder as
 * `{variable_name}`, literal messages as their content), or a single entry with role "" for a string PromptTemplate.
 * Returns [] when the prompt was not serializable.
 */
export function promptTemplatesOf(serialized: unknown): MessageTemplate[] {
  try {
    const kwargs = kwargsOf(plainOf(serialized));
    if (!kwargs) return [];
    const template = field(kwargs, "template");
    if (typeof template === "string") return [{ role: "", template }];
    const messages = field(kwargs, "messages");
    if (!Array.isArray(messages)) return [];
    const out: MessageTemplate[] = [];
    for (let i = 0; i < messages.length; i++) {
      const found = cachedMessageTemplateOf(messages, i);
      if (found) out.push(found);
    }
    return out;
  } catch {
    // a template whose serialization throws: as if the prompt were not serializable
    return [];
  }
}

/**
 * The templates as the `llm.prompt_template.template` text: a lone string template as it is, chat templates as
 * `role: template` blocks separated by blank lines (the same shape as the conversation text of an LLM span).
 *
 * @example
 * formatTemplates([{ role: "system", template: "You are {p}." }, { role: "user", template: "{q}" }]);
 * // "system: You are {p}.\n\nuser: {q}"
 */
export function formatTemplates(templates: readonly MessageTemplate[]): string {
  if (templates.length === 1 && templates[0]!.role === "") return templates[0]!.template;
  return templates.map((t) => `${t.role}: ${t.template}`).join("\n\n");
}

// A chat prompt's message templates are the same live objects at every run, and their toJSON (prototype walks, key
// mapping) is most of a prompt run's tracing cost. So the reading of a template is kept, keyed by the template, until
// anything its toJSON reads changes: its class and the fields its constructor arguments name, nested templates included.
const perTemplate = new WeakMap<object, { readonly fingerprint: readonly unknown[]; readonly template: MessageTemplate | undefined }>();

/** The template of `messages[i]`, from the cache when the entry is unchanged since it was last read. */
function cachedMessageTemplateOf(messages: readonly unknown[], i: number): MessageTemplate | undefined {
  const raw = messages[i];
  const length = typeof raw === "object" && raw !== null ? fingerprintOf(raw, scratch, 0, 0) : -1;
  if (length < 0) {
    scratch.fill(undefined);
    return messageTemplateOf(element(messages, i));
  }
  const known = perTemplate.get(raw as object);
  const same = known !== undefined && sameFingerprint(known.fingerprint, scratch, length);
  const fingerprint = same ? known.fingerprint : scratch.slice(0, length);
  scratch.fill(undefined, 0, length); // holds no template alive
  if (same) return known.template;
  const template = messageTemplateOf(element(messages, i));
  perTemplate.set(raw as object, { fingerprint, template });
  return template;
}

/** Where fingerprints are taken (reused, never shrunk: a cache hit, the usual case, allocates nothing). */
const scratch: unknown[] = [];

const MAX_FINGERPRINT_DEPTH = 6;
/** Ends the fields of one object in a fingerprint. */
const END = Symbol("end of fields");

/**
 * Writes into `out` from `at` on everything LangChain's Serializable.toJSON reads of `value` (identities and
 * primitives) and returns where it ended, or -1 when that cannot be pinned down cheaply: a custom toJSON, a plain
 * object or a function among the fields, too deep a nesting. Class-level settings (aliases, secrets, the class name of
 * the id) come with the constructor.
 */
function fingerprintOf(value: unknown, out: unknown[], at: number, depth: number): number {
  if (typeof value !== "object" || value === null) {
    out[at] = value;
    return typeof value === "function" ? -1 : at + 1;
  }
  if (depth > MAX_FINGERPRINT_DEPTH) return -1;
  let end = at;
  if (Array.isArray(value)) {
    out[end++] = Array;
    out[end++] = value.length;
    for (let i = 0; i < value.length && end >= 0; i++) end = fingerprintOf(value[i], out, end, depth + 1);
    return end;
  }
  const s = value as Loose;
  if (s.toJSON !== Serializable.prototype.toJSON) return -1;
  const kwargs = s.lc_kwargs;
  if (typeof kwargs !== "object" || kwargs === null || Array.isArray(kwargs)) return -1;
  // (the id's namespace is left out: only its last element, the class name, is read)
  out[end++] = s;
  out[end++] = s.constructor;
  out[end++] = s.lc_serializable;
  // each field as toJSON reads it: the instance's own value of each constructor argument, else the argument
  const keys = Object.keys(kwargs);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let v = s[key];
    if (v === undefined && !(key in s)) v = (kwargs as Loose)[key];
    out[end++] = key;
    end = fingerprintOf(v, out, end, depth + 1);
    if (end < 0) return -1;
  }
  out[end++] = END;
  return end;
}

function sameFingerprint(known: readonly unknown[], taken: readonly unknown[], length: number): boolean {
  if (known.length !== length) return false;
  for (let i = 0; i < length; i++) if (!Object.is(known[i], taken[i])) return false;
  return true;
}

function messageTemplateOf(entry: unknown): MessageTemplate | undefined {
  const id = idOf(entry);
  const kwargs = kwargsOf(entry);
  if (!id || !kwargs) return undefined;
  const cls = id[id.length - 1] ?? "";
  if (cls === "MessagesPlaceholder") return { role: "placeholder", template: `{${String(field(kwargs, "variable_name") ?? "")}}` };
  const role = roleOfClass(cls, field(kwargs, "role"));
  const prompt = field(kwargs, "prompt");
  if (prompt !== undefined) {
    let text = "";
    if (Array.isArray(prompt)) {
      for (let i = 0; i < prompt.length; i++) text += templateOf(element(prompt, i));
    } else text = templateOf(prompt);
    return { role, template: text };
  }
  // a literal message placed in the prompt (e.g. new SystemMessage("...")): its content is the "template"
  const content = field(kwargs, "content");
  return { role, template: contentText(typeof content === "string" ? content : plainCopy(content)) };
}

function templateOf(prompt: unknown): string {
  const k = kwargsOf(prompt);
  const template = k ? field(k, "template") : undefined;
  return typeof template === "string" ? template : "";
}

function roleOfClass(cls: string, explicit: unknown): string {
  if (cls.startsWith("System")) return "system";
  if (cls.startsWith("Human")) return "user";
  if (cls.startsWith("AI")) return "assistant";
  if (cls.startsWith("Tool")) return "tool";
  return genAiRole(explicit ?? "user");
}

// `run.serialized` is shallow: its kwargs still hold live template objects, whose toJSON gives the serialized form.
// Serializing the whole prompt to JSON and parsing it back cost more than all the rest of a run's tracing, so the
// serialized form is read lazily instead, along the few paths read here: each value as JSON.stringify would see it.

/** `value` as JSON.stringify sees it under `key`: its `toJSON(key)` when it has one; exotic values as their JSON copy. */
function plainOf(value: unknown, key = ""): unknown {
  let v = value;
  if (typeof v === "object" && v !== null) {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") v = toJSON.call(v, key);
  }
  if (typeof v === "string" || typeof v === "boolean" || v === undefined || v === null) return v;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "object" && (Array.isArray(v) ? Object.getPrototypeOf(v) === Array.prototype : isPlainObject(v))) return v;
  // functions, bigints, Maps, class instances…: exactly what the JSON round trip made of them (rare; never in LangChain's own prompts)
  return plainCopy(v);
}

/** The JSON round trip of a value (circular-safe, as the span text of it), or undefined when it has none. */
function plainCopy(value: unknown): unknown {
  if (typeof value === "string" || value === undefined || value === null) return value;
  const text = safeText([value]).text;
  try {
    return (JSON.parse(text) as unknown[])[0];
  } catch {
    throw new Error(`unserializable prompt template value (${text})`);
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A field of a plain object, as JSON would carry it (an own enumerable field only). */
function field(object: Loose, key: string): unknown {
  return Object.prototype.propertyIsEnumerable.call(object, key) ? plainOf(object[key], key) : undefined;
}

/** An array element, as JSON would carry it (`undefined` and the like become null). */
function element(array: readonly unknown[], i: number): unknown {
  const v = plainOf(array[i], String(i));
  return v === undefined ? null : v;
}

function kwargsOf(value: unknown): Loose | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const kwargs = field(value as Loose, "kwargs");
  return typeof kwargs === "object" && kwargs !== null ? (kwargs as Loose) : undefined;
}

function idOf(value: unknown): string[] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const id = field(value as Loose, "id");
  if (!Array.isArray(id)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < id.length; i++) out.push(String(element(id, i)));
  return out;
}
