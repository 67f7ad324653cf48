/**
 * @module examples/chameleon/modules/search
 * The search tool (Chameleon's Bing search, made local): BM25 over a bundled corpus. Plain, deterministic code.
 */

/** A searchable document. */
export interface SearchDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** Options of {@link createSearch}. */
export interface SearchOptions {
  /** How many documents to return. Default 2. */
  readonly k?: number;
}

const STOPWORDS = new Set(
  "a an and are as at be by do does for from has have how in is it its of on or that the their there these this those to was what when which who why will with".split(" "),
);
const K1 = 1.2;
const B = 0.75;

/** Lower-cased word tokens without stopwords; a plural "s" is dropped so "magnets" finds "magnet". */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

/**
 * Creates the search module: `(query) => results`, the top `k` documents by BM25 over title and text, one per line
 * as "Title: text". Ties keep corpus order; documents sharing no word with the query are never returned.
 */
export function createSearch(corpus: readonly SearchDocument[], options: SearchOptions = {}) {
  const k = options.k ?? 2;
  const docs = corpus.map((d) => ({ doc: d, terms: tokenize(`${d.title} ${d.text}`) }));
  const avgLength = docs.reduce((n, d) => n + d.terms.length, 0) / Math.max(docs.length, 1);
  const documentFrequency = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.terms)) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const idf = (t: string) => {
    const n = documentFrequency.get(t) ?? 0;
    return Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
  };

  return function search(query: string): string {
    const terms = [...new Set(tokenize(query))];
    const scored = docs.map((d, order) => {
      let score = 0;
      for (const t of terms) {
        const tf = d.terms.filter((x) => x === t).length;
        if (tf > 0) score += (idf(t) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.terms.length) / avgLength));
      }
      return { doc: d.doc, score, order };
    });
    const top = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.order - b.order).slice(0, k);
    if (top.length === 0) return "No results found.";
    return top.map((s) => `${s.doc.title}: ${s.doc.text}`).join("\n");
  };
}
