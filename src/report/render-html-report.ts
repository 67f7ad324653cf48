/**
 * @module report/render-html-report
 * A gradient report as one self-contained HTML page: the graph laid out left to right, a side panel that shows a
 * clicked node's value, feedback and diff, search by name, and for optimize runs the score curve and prompt lineage.
 * Everything is inline (SVG, CSS, one small script, the report as JSON); the page loads nothing from anywhere.
 */
import { clip, escapeXml, formatScore, jsonForScript } from "./html/escape.js";
import { graphSvg } from "./html/graph-svg.js";
import { lineageSvg } from "./html/lineage-svg.js";
import { EDGE_COLORS, NODE_COLORS } from "./html/palette.js";
import { PAGE_SCRIPT } from "./html/page-script.js";
import { PAGE_STYLE } from "./html/page-style.js";
import { scoreSvg } from "./html/score-svg.js";
import { readGradientReport } from "./read-gradient-report.js";
import type { GradientReport } from "./report-schema.js";

const KIND_TITLES: Record<GradientReport["run"]["kind"], string> = {
  "refine-outputs": "refine · outputs",
  "refine-prompts": "refine · prompts",
  optimize: "optimize",
  graph: "graph",
};

/**
 * Renders `report` as a self-contained HTML page (works offline, from disk). The report is validated first and
 * embedded as JSON, so the page shows exactly what the report says.
 *
 * @throws ReportFormatError when `report` does not match gradientReportSchema.
 *
 * @example
 * await writeFile("report.html", renderHtmlReport(toGradientReport(await refine(run, { loss, engine }))));
 */
export function renderHtmlReport(report: GradientReport): string {
  const r = readGradientReport(report);
  const score = scoreSvg(r);
  const lineage = lineageSvg(r);
  const title = `tracegrad ${KIND_TITLES[r.run.kind]} report`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // nothing may be fetched: no network, no inline-event handlers, only this page's own style and script
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeXml(title)}</title><style>${PAGE_STYLE}</style></head><body>`,
    `<header><h1>${escapeXml(title)}</h1><div class="tg-facts">${facts(r)}</div>${warnings(r)}</header>`,
    '<main><section id="tg-canvas">',
    `<div class="tg-toolbar"><input id="tg-search" type="search" placeholder="Search nodes by name" aria-label="search nodes by name"><span id="tg-count"></span>${legend()}</div>`,
    graphSvg(r),
    score ? `<h2>Score over steps</h2>${score}` : "",
    lineage ? `<h2>Prompt lineage</h2>${lineage}` : "",
    `</section><aside id="tg-panel" aria-live="polite">${intro(r)}</aside></main>`,
    `<script id="tg-report" type="application/json">${jsonForScript(r)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    "</body></html>",
  ].join("\n");
}

function facts(r: GradientReport): string {
  const { run } = r;
  const items: Array<[string, string]> = [["nodes", String(r.nodes.length)], ["edges", String(r.edges.length)]];
  if (run.score) items.push(["score", `${formatScore(run.score.baseline)} → ${formatScore(run.score.best)}`]);
  if (run.steps.length > 0) items.push(["steps", `${run.steps.length} (${run.steps.filter((s) => s.accepted).length} accepted)`]);
  if (run.usage) {
    const cost = run.usage.cost !== undefined ? `, $${run.usage.cost.toFixed(4)}` : "";
    items.push(["engine", `${run.usage.calls} calls, ${run.usage.inputTokens + run.usage.outputTokens} tokens${cost}`]);
  }
  if (run.evaluation?.before) items.push(["loss before", clip(run.evaluation.before, 90)]);
  if (run.evaluation?.after) items.push(["loss after", clip(run.evaluation.after, 90)]);
  if (run.stopReason) items.push(["stopped", run.stopReason]);
  if (run.traceId) items.push(["trace", run.traceId]);
  items.push(["made", `${run.createdAt} by tracegrad ${run.tracegrad}`]);
  return items.map(([k, v]) => `<span>${escapeXml(k)} <b>${escapeXml(v)}</b></span>`).join("");
}

function warnings(r: GradientReport): string {
  if (r.run.warnings.length === 0) return "";
  const list = r.run.warnings.map((w) => `<li>${escapeXml(w)}</li>`).join("");
  return `<details class="tg-warnings"><summary>${r.run.warnings.length} warning${r.run.warnings.length > 1 ? "s" : ""}</summary><ul>${list}</ul></details>`;
}

function legend(): string {
  const nodes = Object.entries(NODE_COLORS).map(([k, c]) => `<span><i class="tg-swatch" style="background:${c}"></i>${k}</span>`);
  const edges = Object.entries(EDGE_COLORS).map(([k, c]) => `<span><i class="tg-line" style="border-color:${c}"></i>${k}</span>`);
  return `<div class="tg-legend">${nodes.join("")}${edges.join("")}<span><i class="tg-line" style="border-top-style:dashed;border-color:#8a9099"></i>context only</span></div>`;
}

function intro(r: GradientReport): string {
  const edited = r.nodes.filter((n) => n.edits.some((e) => e.accepted));
  const links = edited.map((n) => `<li><a data-goto="${escapeXml(n.id)}">${escapeXml(n.name)}</a></li>`).join("");
  return (
    `<h3>Click a node</h3><p class="tg-muted">to see its value, the feedback it received (and from which nodes), and the diff of what was proposed. ` +
    `Thicker, darker edges are more certain; dashed edges carried no feedback.</p>` +
    (links ? `<h2>Edited (${edited.length})</h2><ul>${links}</ul>` : "")
  );
}
