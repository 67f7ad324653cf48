#!/usr/bin/env node
/**
 * @module cli/main
 * The `tracegrad` executable. Runs from the built package (`dist/src/cli/main.js`, the package's `bin`) or from the
 * sources in development: `npx tsx src/cli/main.ts <command>`.
 */
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv);
