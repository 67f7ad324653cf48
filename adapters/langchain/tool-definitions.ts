/**
 * @module adapters/langchain/tool-definitions
 * The tools of a createAgent model request as `gen_ai.tool.definitions` JSON, recorded on the model call's span so
 * that refinement can check an edited tool call's arguments against the tool's own schema (zod or JSON Schema).
 */
import { toJsonSchema } from "@langchain/core/utils/json_schema";

type Loose = Record<string, unknown>;

/**
 * `[{ type: "function", name, parameters }]` for the tools that have a name; a tool whose schema cannot be converted
 * is listed without parameters (its arguments are then not checked). Undefined when there are no named tools.
 *
 * @example
 * toolDefinitionsJson([tool(fn, { name: "book", schema: z.object({ time: z.string() }) })]);
 * // '[{"type":"function","name":"book","parameters":{"type":"object","properties":{"time":{"type":"string"}},…}}]'
 */
export function toolDefinitionsJson(tools: readonly unknown[] | undefined): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const defs: Loose[] = [];
  for (const t of tools) {
    if (typeof t !== "object" || t === null) continue;
    const tool = t as Loose;
    // LangChain tools carry `name` and `schema`; OpenAI-format dicts carry `function: { name, parameters }`
    const fn = (typeof tool.function === "object" && tool.function !== null ? tool.function : tool) as Loose;
    if (typeof fn.name !== "string") continue;
    const parameters = schemaOf(fn.schema ?? fn.parameters);
    defs.push(parameters ? { type: "function", name: fn.name, parameters } : { type: "function", name: fn.name });
  }
  return defs.length > 0 ? JSON.stringify(defs) : undefined;
}

function schemaOf(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return undefined;
  try {
    return toJsonSchema(schema as Parameters<typeof toJsonSchema>[0]);
  } catch {
    return undefined;
  }
}
