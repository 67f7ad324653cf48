/**
 * @module testing/stub-openai-format
 * The OpenAI wire shapes the stub server reads and writes: Chat Completions and Responses requests flattened into one
 * record, and replies (plain and streamed) built from a text. Only the fields clients actually read are produced.
 */
import { randomBytes } from "node:crypto";
import { estimateMessageTokens, estimateTokens } from "../engine/estimate-tokens.js";

/** One request the stub server received, flattened so tests can assert on it without knowing the wire format. */
export interface StubRequest {
  /** URL path, e.g. "/v1/chat/completions" or "/v1/responses". */
  readonly path: string;
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly model: string;
  /** All messages in order, content flattened to text (system / developer messages included). */
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>;
  /** System and developer messages (and Responses `instructions`) joined by blank lines, if any. */
  readonly system?: string;
  /** The last user message ("" if none). */
  readonly prompt: string;
  /** Whether the client asked for a server-sent-event stream. */
  readonly stream: boolean;
}

type Json = Record<string, unknown>;

/** Flattens a Chat Completions or Responses request body. */
export function parseStubRequest(path: string, body: unknown): StubRequest {
  const b = (typeof body === "object" && body !== null ? body : {}) as Json;
  const messages: Array<{ role: string; content: string }> = [];
  if (path.endsWith("/responses")) {
    if (typeof b.instructions === "string") messages.push({ role: "system", content: b.instructions });
    if (typeof b.input === "string") messages.push({ role: "user", content: b.input });
    else if (Array.isArray(b.input)) {
      for (const item of b.input as Json[]) {
        if (typeof item?.role === "string" && (item.type === undefined || item.type === "message")) {
          messages.push({ role: item.role, content: flattenContent(item.content) });
        }
      }
    }
  } else if (Array.isArray(b.messages)) {
    for (const m of b.messages as Json[]) {
      if (typeof m?.role === "string") messages.push({ role: m.role, content: flattenContent(m.content) });
    }
  }
  const system = messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => m.content);
  const lastUser = messages.filter((m) => m.role === "user").at(-1);
  return {
    path,
    body,
    model: typeof b.model === "string" ? b.model : "",
    messages,
    ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
    prompt: lastUser?.content ?? "",
    stream: b.stream === true,
  };
}

function flattenContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (typeof (part as Json)?.text === "string" ? ((part as Json).text as string) : ""))
    .join("");
}

function tokenCounts(request: StubRequest, text: string) {
  const prompt = estimateMessageTokens(request.messages);
  const completion = estimateTokens(text);
  return { prompt, completion, total: prompt + completion };
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString("hex")}`;
}

/** A complete (non-streamed) reply body for `request`. */
export function replyBody(request: StubRequest, text: string): Json {
  const created = Math.floor(Date.now() / 1000);
  if (request.path.endsWith("/responses")) return responsesObject(request, text, created);
  const tokens = tokenCounts(request, text);
  return {
    id: newId("chatcmpl"),
    object: "chat.completion",
    created,
    model: request.model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: tokens.prompt, completion_tokens: tokens.completion, total_tokens: tokens.total },
  };
}

function responsesObject(request: StubRequest, text: string, created: number, status = "completed"): Json {
  const tokens = tokenCounts(request, text);
  return {
    id: newId("resp"),
    object: "response",
    created_at: created,
    status,
    model: request.model,
    output: [
      {
        type: "message",
        id: newId("msg"),
        status,
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: tokens.prompt,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: tokens.completion,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: tokens.total,
    },
  };
}

/** The server-sent events of a streamed reply (each already formatted as `data: …\n\n`). */
export function replyEvents(request: StubRequest, text: string): string[] {
  const created = Math.floor(Date.now() / 1000);
  const pieces = text.match(/[\s\S]{1,16}/g) ?? [];
  if (request.path.endsWith("/responses")) {
    const final = responsesObject(request, text, created);
    const item = (final.output as Json[])[0] as Json;
    const events: Json[] = [
      { type: "response.created", response: { ...final, status: "in_progress", output: [] } },
      { type: "response.output_item.added", output_index: 0, item: { ...item, status: "in_progress", content: [] } },
      ...pieces.map((delta) => ({ type: "response.output_text.delta", item_id: item.id, output_index: 0, content_index: 0, delta })),
      { type: "response.output_item.done", output_index: 0, item },
      { type: "response.completed", response: final },
    ];
    return events.map((event, i) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`);
  }
  const id = newId("chatcmpl");
  const chunk = (choices: Json[], extra: Json = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: request.model, choices, ...extra })}\n\n`;
  const events = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    ...pieces.map((content) => chunk([{ index: 0, delta: { content }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: "stop" }]),
  ];
  const wantsUsage = ((request.body as Json | undefined)?.stream_options as Json | undefined)?.include_usage === true;
  if (wantsUsage) {
    const tokens = tokenCounts(request, text);
    events.push(chunk([], { usage: { prompt_tokens: tokens.prompt, completion_tokens: tokens.completion, total_tokens: tokens.total } }));
  }
  events.push("data: [DONE]\n\n");
  return events;
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type: string): Json {
  return { error: { message, type, param: null, code: null } };
}
