/**
 * Import rules checked by `npm run check:imports` (part of `npm test`): no import cycle anywhere in src/ or adapters/,
 * type-only imports included (swc parses the TypeScript sources as written, so `import type` edges count).
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Two modules must never import each other, directly or through others (type imports count).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
  },
};
