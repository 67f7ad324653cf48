/**
 * @module testing/stub-reply-message
 * What one scripted stub reply can be — a text, or an assistant message with tool calls — and its normal form, which
 * both wire formats (Chat Completions and Responses) are written from.
 */
import { randomBytes } from "node:crypto";
import { estimateTokens } from "../engine/estimate-tokens.js";

/** One tool call the stub sends, as the model would. */
export interface StubToolCall {
  /** The tool's name, as offered by the client (see `StubRequest.tools`). */
  readonly name: string;
  /** The arguments: an object (sent as JSON) or a string sent as is (malformed JSON is allowed, to test clients). */
  readonly arguments: Readonly<Record<string, unknown>> | string;
  /** The call id; default a fresh `call_…`. */
  readonly id?: string;
}

/** An assistant message with tool calls (and optional text), as one scripted reply. */
export interface StubMessage {
  readonly content?: string;
  readonly toolCalls: readonly StubToolCall[];
}

/** A reply in normal form: `content` undefined means the message has tool calls and no text. */
export interface ReplyMessage {
  readonly content: string | undefined;
  readonly toolCalls: ReadonlyArray<{ readonly id: string; readonly name: string; readonly arguments: string }>;
}

/** A fresh id such as `chatcmpl-…`; `separator` "_" gives OpenAI's tool-call style `call_…`. */
export function newId(prefix: string, separator = "-"): string {
  return `${prefix}${separator}${randomBytes(12).toString("hex")}`;
}

/**
 * Why `reply` is not a text or a {@link StubMessage}, or undefined when it is one. The message names the problem and
 * the expected shape.
 */
export function describeBadReply(reply: unknown): string | undefined {
  if (typeof reply === "string") return undefined;
  if (typeof reply !== "object" || reply === null || !Array.isArray((reply as StubMessage).toolCalls)) {
    return `a reply must be a string or { content?: string, toolCalls: [{ name, arguments }] } (got ${reply === null ? "null" : typeof reply}).`;
  }
  const { content, toolCalls } = reply as StubMessage;
  if (content !== undefined && typeof content !== "string") return "a reply's content must be a string when given.";
  for (const [i, call] of toolCalls.entries()) {
    if (typeof call?.name !== "string" || call.name === "") return `toolCalls[${i}].name must be a non-empty string.`;
    const args: unknown = call.arguments;
    if (!(typeof args === "string" || (typeof args === "object" && args !== null && !Array.isArray(args)))) {
      return `toolCalls[${i}].arguments must be an object or a JSON string.`;
    }
    if (call.id !== undefined && (typeof call.id !== "string" || call.id === "")) return `toolCalls[${i}].id must be a non-empty string when given.`;
  }
  return undefined;
}

/** The normal form of a validated reply; tool calls without an id get a fresh `call_…`. */
export function toReplyMessage(reply: string | StubMessage): ReplyMessage {
  if (typeof reply === "string") return { content: reply, toolCalls: [] };
  return {
    content: reply.content,
    toolCalls: reply.toolCalls.map((call) => ({
      id: call.id ?? newId("call", "_"),
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    })),
  };
}

/** Token count of the reply side: its text plus every tool call's name and arguments, ceil(characters / 4). */
export function completionTokens(message: ReplyMessage): number {
  return estimateTokens((message.content ?? "") + message.toolCalls.map((c) => c.name + c.arguments).join(""));
}

/** Splits a text into the pieces a stream sends (16 characters each). */
export function streamPieces(text: string): string[] {
  return text.match(/[\s\S]{1,16}/g) ?? [];
}
