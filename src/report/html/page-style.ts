/**
 * @module report/html/page-style
 * The report page's stylesheet: system fonts, quiet greys, colour only where it carries meaning.
 */

/** CSS of the report page. */
export const PAGE_STYLE = `
:root { --fg: #1f2430; --muted: #5c6370; --line: #e3e6ea; --bg: #fbfbfc; --panel: #ffffff; --add: #e3f4e6; --add-fg: #1d6b2c; --del: #fbe5e5; --del-fg: #9b2226; --accent: #3461c1; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 20px 10px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 17px; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 8px; font-weight: 600; }
h3 { font-size: 15px; margin: 0 0 2px; }
.tg-facts { display: flex; flex-wrap: wrap; gap: 4px 18px; color: var(--muted); font-size: 13px; }
.tg-facts b { color: var(--fg); font-weight: 600; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 440px; min-height: calc(100vh - 70px); }
#tg-canvas { padding: 12px 20px 24px; overflow: auto; }
#tg-panel { border-left: 1px solid var(--line); background: var(--panel); padding: 14px 18px 30px; overflow: auto; max-height: calc(100vh - 70px); position: sticky; top: 0; }
.tg-toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
#tg-search { font: inherit; padding: 5px 9px; border: 1px solid #c9ced6; border-radius: 6px; width: 240px; }
#tg-count { color: var(--muted); font-size: 13px; }
.tg-legend { display: flex; gap: 10px; flex-wrap: wrap; font-size: 12px; color: var(--muted); }
.tg-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 4px; vertical-align: -1px; }
.tg-line { display: inline-block; width: 16px; height: 0; border-top: 3px solid; margin-right: 4px; vertical-align: 3px; }
.tg-node { cursor: pointer; }
.tg-node rect { stroke: rgba(0,0,0,.18); stroke-width: 1; }
.tg-node.tg-edited rect { stroke: #1f2430; stroke-width: 2.5; }
.tg-node.tg-selected rect { stroke: var(--accent); stroke-width: 3.5; }
.tg-node:focus { outline: none; }
.tg-node:focus-visible rect { stroke: var(--accent); stroke-width: 3; }
.tg-node text { fill: #fff; pointer-events: none; }
.tg-node-name { font-size: 13px; font-weight: 600; }
.tg-node-meta { font-size: 11px; opacity: .9; }
.tg-dim { opacity: .15; }
.tg-edge.tg-dim { opacity: .06; }
#tg-score .tg-grid { stroke: var(--line); }
#tg-score .tg-axis { font-size: 11px; fill: var(--muted); }
#tg-score .tg-baseline { stroke: #a3a9b3; stroke-dasharray: 4 4; }
#tg-score .tg-best { stroke: var(--accent); stroke-width: 2; }
#tg-score .tg-accepted { fill: #4f9a57; }
#tg-score .tg-rejected { fill: #fff; stroke: #c0392b; stroke-width: 2; }
.tg-lineage { margin: 0 0 10px; }
.tg-lineage figcaption { font-size: 12px; color: var(--muted); margin-bottom: 2px; }
.tg-lineage-edge { fill: none; stroke: #a3a9b3; stroke-width: 1.5; }
.tg-version { cursor: pointer; }
.tg-version rect { fill: #fff6e8; stroke: #e2a03f; stroke-width: 1.5; }
.tg-version.tg-rejected rect { fill: #fff; stroke-dasharray: 4 3; stroke: #b9bec6; }
.tg-version text { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; fill: var(--fg); }
.tg-kind { display: inline-block; padding: 0 7px; border-radius: 9px; color: #fff; font-size: 11px; font-weight: 600; vertical-align: 2px; }
.tg-role { color: var(--muted); margin: 2px 0 8px; }
pre, .tg-diff { font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; word-break: break-word; background: #f5f6f8; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 4px 0 8px; max-height: 320px; overflow: auto; }
.tg-diff ins { background: var(--add); color: var(--add-fg); text-decoration: none; }
.tg-diff del { background: var(--del); color: var(--del-fg); }
.tg-feedback { border-left: 3px solid #8f6bb8; padding: 2px 0 2px 10px; margin: 0 0 12px; }
.tg-feedback .tg-text { white-space: pre-wrap; }
.tg-from { font-size: 12px; color: var(--muted); margin-top: 2px; }
.tg-from a { color: var(--accent); cursor: pointer; text-decoration: underline; }
.tg-edit { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; margin: 0 0 12px; }
.tg-verdict { font-weight: 600; }
.tg-verdict.tg-yes { color: #2e7d32; }
.tg-verdict.tg-no { color: #9b2226; }
.tg-muted { color: var(--muted); font-size: 13px; }
.tg-warnings { color: #8a5a00; font-size: 13px; }
`;
