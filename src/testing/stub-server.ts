/**
 * @module testing/stub-server
 * A local OpenAI-compatible HTTP server for tests: real clients (ChatOpenAI, the openai SDK, curl) talk to it over real
 * HTTP, and it answers with scripted replies — texts or tool calls — latency and failures. Nothing leaves 127.0.0.1.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InvalidArgumentError } from "../errors.js";
import { errorBody, replyBody, replyEvents } from "./stub-openai-format.js";
import { parseStubRequest, type StubRequest } from "./stub-openai-request.js";
import { describeBadReply, toReplyMessage, type StubMessage } from "./stub-reply-message.js";

export type { StubRequest, StubRequestMessage } from "./stub-openai-request.js";
export type { StubMessage, StubToolCall } from "./stub-reply-message.js";

/**
 * A scripted failure for one request: an HTTP error status, `"timeout"` (the request is held open and never answered)
 * or `"malformed"` (HTTP 200 whose body is not JSON).
 */
export type StubFailure =
  | {
      /** Usually 429, 500 or 503; any 4xx/5xx works (e.g. 400 or 401 to test errors that must not be retried). */
      readonly status: number;
      readonly message?: string;
      /** Sent as a `Retry-After` header. */
      readonly retryAfterSeconds?: number;
    }
  | "timeout"
  | "malformed";

/**
 * The replies: one for every request, a list used in order, or a function of the request. Each reply is a text or a
 * {@link StubMessage} with tool calls, sent as `tool_calls` (Chat Completions) or `function_call` items (Responses).
 */
export type StubReply =
  | string
  | StubMessage
  | ReadonlyArray<string | StubMessage>
  | ((request: StubRequest) => string | StubMessage | Promise<string | StubMessage>);

/** Options of {@link startStubServer}. */
export interface StubServerOptions {
  readonly reply: StubReply;
  /** Delay before each response, in milliseconds. */
  readonly latencyMs?: number;
  /**
   * Failures by request: a list whose i-th entry applies to the i-th request (`undefined` entries succeed), or a
   * function of the request and its 0-based index.
   */
  readonly failures?: ReadonlyArray<StubFailure | undefined> | ((request: StubRequest, index: number) => StubFailure | undefined);
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
}

/** A running stub server. */
export interface StubServer {
  /** Base URL including `/v1`, ready for ChatOpenAI's `configuration.baseURL` or `OPENAI_BASE_URL`. */
  readonly url: string;
  /** Every chat-completions and responses request received so far, failed ones included, in arrival order. */
  readonly requests: StubRequest[];
  /** Stops the server and drops open connections (held "timeout" requests too), so the process can exit. */
  close(): Promise<void>;
}

const COMPLETION_PATHS = new Set(["/v1/chat/completions", "/v1/responses"]);

/**
 * Starts an OpenAI-compatible server on 127.0.0.1 that handles `POST /v1/chat/completions`, `POST /v1/responses`
 * (both also streamed with `stream: true`) and `GET /v1/models`. Token usage in replies is ceil(characters / 4).
 * A reply that cannot be sent (the list ran out, the function threw or returned something else) is answered with
 * HTTP 500 whose message says why.
 *
 * @example
 * const stub = await startStubServer({ reply: ["first", "second"], failures: [{ status: 429 }] });
 * const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", configuration: { baseURL: stub.url } });
 * // … the first request gets HTTP 429, the next two get "first" and "second"
 * await stub.close();
 *
 * @example
 * // An agent's loop: first a tool call, then the final answer; the second request carries the tool's result.
 * const stub = await startStubServer({
 *   reply: [{ toolCalls: [{ name: "lookup_capital", arguments: { state: "Montana" } }] }, "Helena."],
 * });
 * // … after the agent ran: stub.requests[0].tools → ["lookup_capital"]; stub.requests[1].messages.at(-1)?.role → "tool"
 */
export async function startStubServer(options: StubServerOptions): Promise<StubServer> {
  validate(options);
  const requests: StubRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let repliesUsed = 0;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const nextReply = async (request: StubRequest): Promise<string | StubMessage> => {
    const { reply } = options;
    if (typeof reply === "function") {
      const made: unknown = await reply(request);
      const problem = describeBadReply(made);
      if (problem) throw new Error(`stub server: the reply function returned a bad reply: ${problem}`);
      return made as string | StubMessage;
    }
    if (!Array.isArray(reply)) return reply as string | StubMessage;
    const next = (reply as ReadonlyArray<string | StubMessage>)[repliesUsed];
    if (next === undefined) {
      throw new Error(`stub server: all ${reply.length} replies were used; this is request #${requests.length}. Pass more replies or a function.`);
    }
    repliesUsed++;
    return next;
  };

  const handleCompletion = async (path: string, raw: string, res: ServerResponse): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, errorBody("stub server: the request body is not JSON.", "invalid_request_error"));
    }
    const request = parseStubRequest(path, body);
    const index = requests.length;
    requests.push(request);
    const failure = typeof options.failures === "function" ? options.failures(request, index) : options.failures?.[index];
    if (options.latencyMs) await sleep(options.latencyMs);
    if (closed || failure === "timeout") return; // held open until the client gives up or close() drops it
    if (failure === "malformed") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "chatcmpl-malformed", "choices": [ this is not JSON');
      return;
    }
    if (failure !== undefined) {
      const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) };
      const type = failure.status === 429 ? "rate_limit_error" : failure.status >= 500 ? "server_error" : "invalid_request_error";
      return sendJson(res, failure.status, errorBody(failure.message ?? `stub server: scripted HTTP ${failure.status}`, type), headers);
    }
    let reply: string | StubMessage;
    try {
      reply = await nextReply(request);
    } catch (error) {
      return sendJson(res, 500, errorBody(error instanceof Error ? error.message : String(error), "server_error"));
    }
    if (closed) return;
    const message = toReplyMessage(reply);
    if (request.stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      for (const event of replyEvents(request, message)) res.write(event);
      res.end();
      return;
    }
    sendJson(res, 200, replyBody(request, message));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const raw = await readBody(req);
    if (req.method === "POST" && COMPLETION_PATHS.has(path)) return handleCompletion(path, raw, res);
    if (req.method === "GET" && path === "/v1/models") {
      const ids = [...new Set(["gpt-4o-mini", ...requests.map((r) => r.model).filter(Boolean)])];
      return sendJson(res, 200, { object: "list", data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "tracegrad-stub" })) });
    }
    sendJson(res, 404, errorBody(`stub server: no route for ${req.method ?? "?"} ${path}`, "invalid_request_error"));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !closed) sendJson(res, 500, errorBody(`stub server: ${String(error)}`, "server_error"));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections(); // held and keep-alive sockets would otherwise keep the process running
      })),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function validate(options: StubServerOptions): void {
  const { reply, latencyMs } = options;
  if (typeof reply !== "function") {
    const list: readonly unknown[] = Array.isArray(reply) ? reply : [reply];
    list.forEach((item, i) => {
      const problem = describeBadReply(item);
      if (problem) {
        throw new InvalidArgumentError(
          `startStubServer: reply${Array.isArray(reply) ? `[${i}]` : ""} is invalid: ${problem} Pass texts, tool-call messages, a list of them or a function of the request.`,
          { subject: Array.isArray(reply) ? `reply[${i}]` : "reply" },
        );
      }
    });
  }
  if (latencyMs !== undefined && !(latencyMs >= 0)) {
    throw new InvalidArgumentError(`startStubServer: latencyMs must be a number ≥ 0 (got ${String(latencyMs)}).`, { subject: "latencyMs" });
  }
}
