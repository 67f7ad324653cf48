/**
 * @module adapters/langchain/prompt-templates
 * The templates of a prompt run, read from its `serialized` form (the only place LangChain exposes them to callbacks).
 * Every message template is kept — OpenInference's LangChain instrumentation keeps only the first, which loses the
 * human template.
 */
import { safeText } from "../../src/trace/safe-text.js";
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
  const kwargs = kwargsOf(toPlain(serialized));
  if (!kwargs) return [];
  if (typeof kwargs.template === "string") return [{ role: "", template: kwargs.template }];
  if (!Array.isArray(kwargs.messages)) return [];
  const out: MessageTemplate[] = [];
  for (const entry of kwargs.messages) {
    const template = messageTemplateOf(entry);
    if (template) out.push(template);
  }
  return out;
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

function messageTemplateOf(entry: unknown): MessageTemplate | undefined {
  const id = idOf(entry);
  const kwargs = kwargsOf(entry);
  if (!id || !kwargs) return undefined;
  const cls = id[id.length - 1] ?? "";
  if (cls === "MessagesPlaceholder") return { role: "placeholder", template: `{${String(kwargs.variable_name ?? "")}}` };
  const role = roleOfClass(cls, kwargs.role);
  if (kwargs.prompt !== undefined) {
    const prompts = Array.isArray(kwargs.prompt) ? kwargs.prompt : [kwargs.prompt];
    const text = prompts.map((p) => {
      const k = kwargsOf(p);
      return typeof k?.template === "string" ? k.template : "";
    });
    return { role, template: text.join("") };
  }
  // a literal message placed in the prompt (e.g. new SystemMessage("...")): its content is the "template"
  return { role, template: contentText(kwargs.content) };
}

function roleOfClass(cls: string, explicit: unknown): string {
  if (cls.startsWith("System")) return "system";
  if (cls.startsWith("Human")) return "user";
  if (cls.startsWith("AI")) return "assistant";
  if (cls.startsWith("Tool")) return "tool";
  return genAiRole(explicit ?? "user");
}

/** `run.serialized` is shallow: its kwargs still hold live template objects, whose toJSON gives the serialized form. */
function toPlain(value: unknown): unknown {
  try {
    return JSON.parse(safeText(value).text || "null");
  } catch {
    return undefined;
  }
}

function kwargsOf(value: unknown): Loose | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const kwargs = (value as Loose).kwargs;
  return typeof kwargs === "object" && kwargs !== null ? (kwargs as Loose) : undefined;
}

function idOf(value: unknown): string[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as Loose).id;
  return Array.isArray(id) ? id.map(String) : undefined;
}
