/**
 * Fuzzing buildGraph() at length. Prints figures; not a test (test/trace/fuzz.test.ts runs a few thousand cases in
 * the suite).
 *
 *   npx tsx bench/fuzz.ts [cases=10000] [seed=1]
 *
 * Each case (see test/trace/fuzz-cases.ts) runs in a child process; a case that has not answered within HANG_MS is a
 * hang (the child is killed and replaced: a synchronous loop cannot be interrupted any other way). Prints cases, outcomes by class (graph, TraceFormatError — both passes — and every
 * failure: hang, or an untyped error by constructor name), the slowest cases, and one example per failure class with
 * its seed and index, so `fuzzCase(seed, index)` reproduces it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { fuzzCase, runCase, type FuzzOutcome } from "../test/trace/fuzz-cases.js";

const HANG_MS = 2000;

if (process.argv[2] === "--child") {
  const seed = Number(process.argv[3]);
  process.on("message", (index: number) => {
    const c = fuzzCase(seed, index);
    const outcome = runCase(c);
    process.send!({ index, label: c.label, outcome });
  });
} else {
  await main(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 1));
}

interface Answer {
  readonly index: number;
  readonly label: string;
  readonly outcome: FuzzOutcome;
}

async function main(cases: number, seed: number): Promise<void> {
  const byClass = new Map<string, { count: number; example?: string }>();
  const slowest: Array<{ ms: number; what: string }> = [];
  const note = (cls: string, example: string) => {
    const entry = byClass.get(cls) ?? { count: 0 };
    entry.count++;
    entry.example ??= example;
    byClass.set(cls, entry);
  };
  const started = performance.now();
  let worker = spawn(seed);
  for (let index = 0; index < cases; index++) {
    const answer = await ask(worker, index);
    if (answer === "hang") {
      worker.kill("SIGKILL");
      worker = spawn(seed);
      const label = fuzzCase(seed, index).label;
      note(`FAIL hang (> ${HANG_MS} ms)`, `seed ${seed} #${index} ${label}`);
      slowest.push({ ms: HANG_MS, what: `#${index} ${label} (hang)` });
      continue;
    }
    const { outcome, label } = answer;
    note(outcome.ok ? outcome.result : `FAIL ${outcome.result}`, `seed ${seed} #${index} ${label}${outcome.message ? `: ${outcome.message.slice(0, 160)}` : ""}`);
    slowest.push({ ms: outcome.ms, what: `#${index} ${label}` });
    if (slowest.length > 50) slowest.sort((a, b) => b.ms - a.ms).splice(10);
  }
  worker.kill();
  const seconds = (performance.now() - started) / 1e3;
  slowest.sort((a, b) => b.ms - a.ms);
  const failures = [...byClass].filter(([cls]) => cls.startsWith("FAIL")).reduce((n, [, e]) => n + e.count, 0);
  console.log(`buildGraph fuzz: ${cases} cases, seed ${seed}, ${seconds.toFixed(1)} s (${((seconds * 1e3) / cases).toFixed(2)} ms per case, generation and IPC included)`);
  console.log(`failures: ${failures}`);
  for (const [cls, e] of [...byClass].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`  ${cls.padEnd(28)} ${String(e.count).padStart(7)}${cls.startsWith("FAIL") ? `   e.g. ${e.example}` : ""}`);
  }
  console.log("slowest cases:");
  for (const s of slowest.slice(0, 5)) console.log(`  ${s.ms.toFixed(1).padStart(8)} ms  ${s.what}`);
}

function spawn(seed: number): ChildProcess {
  // this file again, through tsx, as the child that runs cases
  return fork(fileURLToPath(import.meta.url), ["--child", String(seed)], { execArgv: ["--import", "tsx"] });
}

function ask(worker: ChildProcess, index: number): Promise<Answer | "hang"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.off("message", onMessage);
      resolve("hang");
    }, HANG_MS);
    const onMessage = (message: unknown) => {
      const answer = message as Answer;
      if (answer.index !== index) return;
      clearTimeout(timer);
      worker.off("message", onMessage);
      resolve(answer);
    };
    worker.on("message", onMessage);
    worker.send(index);
  });
}
