/**
 * @module report/html/score-svg
 * The score curve of an optimize run: each step's candidate score (filled when accepted, hollow when rejected) and
 * the best score so far as a step line, over the baseline.
 */
import type { GradientReport } from "../report-schema.js";
import { escapeXml, formatScore } from "./escape.js";

const W = 560;
const H = 220;
const PAD = { left: 46, right: 16, top: 14, bottom: 34 };

/** The curve as an `<svg>`, or "" when the run has no numeric scores (refine runs). */
export function scoreSvg(report: GradientReport): string {
  const { steps, score } = report.run;
  const scored = steps.filter((s): s is typeof s & { score: number } => s.score !== null);
  const baseline = score?.baseline ?? null;
  if (scored.length === 0 && baseline === null) return "";
  const bests = steps.flatMap((s) => (s.best != null ? [s.best] : []));
  const values = [...scored.map((s) => s.score), ...bests, ...(baseline !== null ? [baseline] : []), ...(score?.best != null ? [score.best] : [])];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const lastStep = Math.max(1, ...steps.map((s) => s.step));
  const x = (step: number) => PAD.left + (step / lastStep) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  // best so far: starts at the baseline, moves up only on accepted steps
  let best = baseline ?? scored[0]?.score ?? lo;
  const line: string[] = [`M${x(0).toFixed(1)},${y(best).toFixed(1)}`];
  for (const s of steps) {
    if (s.best != null) best = s.best;
    else if (s.accepted && s.score !== null) best = s.score;
    line.push(`H${x(s.step).toFixed(1)}V${y(best).toFixed(1)}`);
  }
  const points = steps
    .filter((s) => s.score !== null)
    .map((s) => {
      const label = `step ${s.step}: ${formatScore(s.score)} — ${s.accepted ? "accepted" : "rejected"}${s.reason ? ` (${s.reason})` : ""}`;
      return `<circle class="tg-step ${s.accepted ? "tg-accepted" : "tg-rejected"}" data-step="${s.step}" cx="${x(s.step).toFixed(1)}" cy="${y(s.score!).toFixed(1)}" r="5"><title>${escapeXml(label)}</title></circle>`;
    })
    .join("");
  const ticks = [lo, (lo + hi) / 2, hi]
    .map((v) => `<text class="tg-axis" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeXml(format(v))}</text><line class="tg-grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`)
    .join("");
  const base = baseline !== null ? `<line class="tg-baseline" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(baseline).toFixed(1)}" y2="${y(baseline).toFixed(1)}"><title>baseline ${escapeXml(format(baseline))}</title></line>` : "";
  return (
    `<svg id="tg-score" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="score over steps">` +
    `${ticks}${base}<path class="tg-best" d="${line.join("")}" fill="none"/>${points}` +
    `<text class="tg-axis" x="${x(0)}" y="${H - 10}">0</text><text class="tg-axis" x="${x(lastStep)}" y="${H - 10}" text-anchor="end">step ${lastStep}</text></svg>`
  );
}

const format = formatScore;
