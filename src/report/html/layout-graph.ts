/**
 * @module report/html/layout-graph
 * Left-to-right layered layout of a graph with dagre, done in Node so the page needs no layout code at all.
 */
import dagre from "@dagrejs/dagre";

/** A box to place. */
export interface LayoutBox {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

/** Where dagre put things: box centres, edge routes (one per input edge, in order), and the drawing's size. */
export interface Layout {
  readonly boxes: ReadonlyMap<string, { readonly x: number; readonly y: number }>;
  readonly routes: ReadonlyArray<ReadonlyArray<{ readonly x: number; readonly y: number }>>;
  readonly width: number;
  readonly height: number;
}

/** Lays out `boxes` and `edges` left to right (edges to unknown boxes get an empty route). */
export function layoutGraph(boxes: readonly LayoutBox[], edges: ReadonlyArray<{ readonly from: string; readonly to: string }>, spacing = { ranksep: 70, nodesep: 22 }): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", marginx: 16, marginy: 16, ...spacing });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  const known = new Set(boxes.map((b) => b.id));
  edges.forEach((e, i) => {
    if (known.has(e.from) && known.has(e.to) && e.from !== e.to) g.setEdge(e.from, e.to, {}, `e${i}`);
  });
  dagre.layout(g);
  const placed = new Map(boxes.map((b) => {
    const n = g.node(b.id);
    return [b.id, { x: n.x, y: n.y }] as const;
  }));
  const routes = edges.map((e, i) => (g.hasEdge(e.from, e.to, `e${i}`) ? g.edge(e.from, e.to, `e${i}`).points ?? [] : []));
  const size = g.graph();
  return { boxes: placed, routes, width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0) };
}
