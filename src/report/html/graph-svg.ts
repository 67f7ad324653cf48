/**
 * @module report/html/graph-svg
 * The run's graph as positioned SVG: nodes coloured by kind (marked when they received feedback or were edited),
 * edges coloured by kind, drawn thicker and darker the more certain they are, dashed when they carry no feedback.
 */
import type { GradientReport, ReportNode } from "../report-schema.js";
import { clip, escapeXml } from "./escape.js";
import { layoutGraph } from "./layout-graph.js";
import { EDGE_COLORS, NODE_COLORS } from "./palette.js";

const NODE_HEIGHT = 46;
const CHAR_WIDTH = 8.2;

/** The graph of `report` as an `<svg>` element; each node is a `<g class="tg-node" data-id=…>`. */
export function graphSvg(report: GradientReport): string {
  const boxes = report.nodes.map((n) => ({ id: n.id, width: widthOf(n), height: NODE_HEIGHT }));
  const layout = layoutGraph(boxes, report.edges);
  const markers = Object.entries(EDGE_COLORS)
    .map(([kind, color]) => `<marker id="tg-arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${color}"/></marker>`)
    .join("");
  const edges = report.edges
    .map((e, i) => {
      const points = layout.routes[i] ?? [];
      if (points.length < 2) return "";
      const d = points.map((p, j) => `${j === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("");
      const title = `${e.from} → ${e.to}: ${e.kind}, confidence ${e.confidence}${e.carriesFeedback ? "" : ", context only (no feedback)"}`;
      return (
        `<path class="tg-edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" data-kind="${e.kind}" d="${d}" fill="none" ` +
        `stroke="${EDGE_COLORS[e.kind]}" stroke-width="${(1 + 2 * e.confidence).toFixed(2)}" stroke-opacity="${(0.35 + 0.65 * e.confidence).toFixed(2)}"` +
        `${e.carriesFeedback ? "" : ' stroke-dasharray="5 4"'} marker-end="url(#tg-arrow-${e.kind})"><title>${escapeXml(title)}</title></path>`
      );
    })
    .join("");
  const nodes = report.nodes
    .map((n) => {
      const p = layout.boxes.get(n.id)!;
      const w = widthOf(n);
      const accepted = n.edits.some((e) => e.accepted);
      const badge = [n.kind, n.feedback.length > 0 ? `${n.feedback.length} feedback` : "", accepted ? "edited" : n.edits.length > 0 ? "kept" : ""].filter(Boolean).join(" · ");
      return (
        `<g class="tg-node${accepted ? " tg-edited" : ""}${n.feedback.length > 0 ? " tg-has-feedback" : ""}" data-id="${escapeXml(n.id)}" data-name="${escapeXml(n.name)}" data-kind="${n.kind}" tabindex="0" role="button" ` +
        `transform="translate(${(p.x - w / 2).toFixed(1)},${(p.y - NODE_HEIGHT / 2).toFixed(1)})">` +
        `<title>${escapeXml(`${n.name} (${n.kind})${n.role ? ` — ${n.role}` : ""}`)}</title>` +
        `<rect width="${w}" height="${NODE_HEIGHT}" rx="7" fill="${NODE_COLORS[n.kind]}"/>` +
        `<text x="10" y="19" class="tg-node-name">${escapeXml(clip(n.name, Math.floor((w - 20) / CHAR_WIDTH)))}</text>` +
        `<text x="10" y="36" class="tg-node-meta">${escapeXml(badge)}</text></g>`
      );
    })
    .join("");
  return (
    `<svg id="tg-graph" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="the run's graph">` +
    `<defs>${markers}</defs><g class="tg-edges">${edges}</g><g class="tg-nodes">${nodes}</g></svg>`
  );
}

function widthOf(n: ReportNode): number {
  return Math.round(Math.min(280, Math.max(120, 24 + CHAR_WIDTH * Math.max(n.name.length, 16))));
}
