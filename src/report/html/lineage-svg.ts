/**
 * @module report/html/lineage-svg
 * The lineage of each parameter: its versions as boxes, each linked from the version it was derived from, laid out
 * left to right with dagre. Accepted versions are solid, rejected candidates dashed.
 */
import type { GradientReport } from "../report-schema.js";
import { escapeXml, formatScore } from "./escape.js";
import { layoutGraph } from "./layout-graph.js";

const BOX = { width: 150, height: 40 };

/** One `<svg>` per parameter that has more than one version, or "" when none changed. */
export function lineageSvg(report: GradientReport): string {
  return report.run.parameters
    .filter((p) => p.versions.length > 1)
    .map((p) => {
      const ids = p.versions.map((v, i) => `${v.version}#${i}`);
      const idOf = new Map(p.versions.map((v, i) => [v.version, ids[i]!]));
      const edges = p.versions.flatMap((v, i) => (v.parent !== undefined && idOf.has(v.parent) ? [{ from: idOf.get(v.parent)!, to: ids[i]! }] : []));
      const layout = layoutGraph(ids.map((id) => ({ id, ...BOX })), edges, { ranksep: 36, nodesep: 12 });
      const links = edges
        .map((e, i) => {
          const pts = layout.routes[i] ?? [];
          return pts.length < 2 ? "" : `<path class="tg-lineage-edge" d="${pts.map((q, j) => `${j ? "L" : "M"}${q.x.toFixed(1)},${q.y.toFixed(1)}`).join("")}"/>`;
        })
        .join("");
      const boxes = p.versions
        .map((v, i) => {
          const c = layout.boxes.get(ids[i]!)!;
          const when = v.step !== undefined ? `step ${v.step}` : v.round !== undefined ? `round ${v.round}` : "start";
          const score = v.score != null ? ` · ${formatScore(v.score)}` : "";
          return (
            `<g class="tg-version${v.accepted ? "" : " tg-rejected"}" data-param="${escapeXml(p.id)}" data-index="${i}" tabindex="0" role="button" transform="translate(${(c.x - BOX.width / 2).toFixed(1)},${(c.y - BOX.height / 2).toFixed(1)})">` +
            `<rect width="${BOX.width}" height="${BOX.height}" rx="6"/><text x="8" y="16">${escapeXml(v.version)}</text><text x="8" y="32" class="tg-node-meta">${escapeXml(when + score)}</text></g>`
          );
        })
        .join("");
      return `<figure class="tg-lineage"><figcaption>${escapeXml(p.id)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">${links}${boxes}</svg></figure>`;
    })
    .join("");
}
