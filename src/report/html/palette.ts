/**
 * @module report/html/palette
 * Colours of the HTML report: one per node kind and per edge kind, chosen to stay apart for common colour blindness.
 */
import type { EDGE_KINDS, NODE_KINDS } from "../report-schema.js";

/** Fill of a node, by kind. */
export const NODE_COLORS: Readonly<Record<(typeof NODE_KINDS)[number], string>> = {
  input: "#8a9099",
  param: "#e2a03f",
  module: "#4c78a8",
  llm: "#8f6bb8",
  tool: "#2a9d8f",
  output: "#4f9a57",
};

/** Stroke of an edge, by kind (how it was found: solid evidence darker, heuristics lighter). */
export const EDGE_COLORS: Readonly<Record<(typeof EDGE_KINDS)[number], string>> = {
  explicit: "#3b4252",
  tool_call: "#2a9d8f",
  message_id: "#4c78a8",
  content: "#8f6bb8",
  tree: "#a3a9b3",
  control: "#d0703c",
};
