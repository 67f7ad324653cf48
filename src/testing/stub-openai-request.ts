/**
 * @module testing/stub-openai-request
 * Chat Completions and Responses request bodies, flattened into one record so tests can assert on what a client sent
 * without knowing either wire format: messages as text, the tools offered, the tool calls and tool results.
 */

/** One message of a {@link StubRequest}, content flattened to text. */
export interface StubRequestMessage {
  /** "system", "developer", "user", "assistant" or "tool". */
  readonly role: string;
  readonly content: string;
  /** Tool messages: the id of the call this is the result of (`tool_call_id`, or a Responses `call_id`). */
  readonly toolCallId?: string;
  /** Assistant messages: the tool calls they made, arguments as the JSON string sent. */
  readonly toolCalls?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly arguments: string }>;
}

/** One request the stub server received, flattened so tests can assert on it without knowing the wire format. */
export interface StubRequest {
  /** URL path, e.g. "/v1/chat/completions" or "/v1/responses". */
  readonly path: string;
  /** The parsed JSON body. */
  readonly body: unknown;
  readonly model: string;
  /**
   * All messages in order (system / developer, assistant tool calls and tool results included). Responses API
   * `function_call` items become assistant messages with `toolCalls`, `function_call_output` items tool messages.
   */
  readonly messages: readonly StubRequestMessage[];
  /** System and developer messages (and Responses `instructions`) joined by blank lines, if any. */
  readonly system?: string;
  /** The last user message ("" if none). */
  readonly prompt: string;
  /** Names of the function tools the client offered, in order (empty if none). */
  readonly tools: readonly string[];
  /** Whether the client asked for a server-sent-event stream. */
  readonly stream: boolean;
}

type Json = Record<string, unknown>;

/** Flattens a Chat Completions or Responses request body. */
export function parseStubRequest(path: string, body: unknown): StubRequest {
  const b = (typeof body === "object" && body !== null ? body : {}) as Json;
  const responses = path.endsWith("/responses");
  const messages = responses ? responsesMessages(b) : chatMessages(b);
  const system = messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => m.content);
  const lastUser = messages.filter((m) => m.role === "user").at(-1);
  return {
    path,
    body,
    model: typeof b.model === "string" ? b.model : "",
    messages,
    ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
    prompt: lastUser?.content ?? "",
    tools: toolNames(b.tools),
    stream: b.stream === true,
  };
}

function chatMessages(b: Json): StubRequestMessage[] {
  if (!Array.isArray(b.messages)) return [];
  const messages: StubRequestMessage[] = [];
  for (const m of b.messages as Json[]) {
    if (typeof m?.role !== "string") continue;
    const calls = Array.isArray(m.tool_calls)
      ? (m.tool_calls as Json[]).map((c) => {
          const fn = (c?.function ?? {}) as Json;
          return { id: text(c?.id), name: text(fn.name), arguments: text(fn.arguments) };
        })
      : [];
    messages.push({
      role: m.role,
      content: flattenContent(m.content),
      ...(typeof m.tool_call_id === "string" ? { toolCallId: m.tool_call_id } : {}),
      ...(calls.length > 0 ? { toolCalls: calls } : {}),
    });
  }
  return messages;
}

function responsesMessages(b: Json): StubRequestMessage[] {
  const messages: StubRequestMessage[] = [];
  if (typeof b.instructions === "string") messages.push({ role: "system", content: b.instructions });
  if (typeof b.input === "string") messages.push({ role: "user", content: b.input });
  if (!Array.isArray(b.input)) return messages;
  for (const item of b.input as Json[]) {
    if (typeof item?.role === "string" && (item.type === undefined || item.type === "message")) {
      messages.push({ role: item.role, content: flattenContent(item.content) });
    } else if (item?.type === "function_call") {
      const call = { id: text(item.call_id), name: text(item.name), arguments: text(item.arguments) };
      // Consecutive calls belong to one assistant turn, as in Chat Completions.
      const previous = messages.at(-1);
      if (previous?.role === "assistant" && previous.toolCalls && previous.content === "") {
        messages[messages.length - 1] = { ...previous, toolCalls: [...previous.toolCalls, call] };
      } else {
        messages.push({ role: "assistant", content: "", toolCalls: [call] });
      }
    } else if (item?.type === "function_call_output") {
      messages.push({ role: "tool", content: flattenContent(item.output), toolCallId: text(item.call_id) });
    }
  }
  return messages;
}

/** Chat Completions: `{ type: "function", function: { name } }`; Responses: `{ type: "function", name }`. */
function toolNames(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return (tools as Json[])
    .map((t) => (typeof (t?.function as Json | undefined)?.name === "string" ? ((t.function as Json).name as string) : t?.name))
    .filter((name): name is string => typeof name === "string");
}

function flattenContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (typeof (part as Json)?.text === "string" ? ((part as Json).text as string) : ""))
    .join("");
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
