import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // README snippets import the package by name, as a user would
    alias: [
      { find: /^tracegrad\/testing$/, replacement: here("./src/testing/index.ts") },
      { find: /^tracegrad\/langchain$/, replacement: here("./adapters/langchain/index.ts") },
      { find: /^tracegrad$/, replacement: here("./src/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
