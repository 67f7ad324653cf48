/**
 * Quickstart: TextGrad's canonical loop, then one prompt-optimization step over a small batch.
 *
 *   npx tsx examples/quickstart.ts
 *
 * Offline by default: a local OpenAI-compatible stub server answers with the small deterministic STAND-IN MODEL below
 * (it is not a language model; it only makes the loop observable), and the real ChatOpenAI talks to it over HTTP.
 * Set OPENAI_API_KEY (and optionally OPENAI_BASE_URL, TRACEGRAD_MODEL) to run the same code against a real endpoint.
 */
import { ChatOpenAI } from "@langchain/openai";
import {
  BlackboxLLM,
  StringBasedFunction,
  TextLoss,
  TGD,
  Variable,
  chatModelEngine,
  defaultEngine,
  extractAllTagged,
  extractTagged,
  sum,
  withUsage,
  type Engine,
} from "../src/index.js";
import { startStubServer, type StubRequest } from "../src/testing/index.js";

// ---------------------------------------------------------------------------------------------------------------
// The stand-in model (offline mode only). It reads the tags tracegrad's prompts carry and answers deterministically:
// it solves the three batch questions from a table, states the result on its own "Answer:" line only when its system
// prompt asks for one, and its feedback and rewrites push towards exactly that.
const TRUTH: Record<string, number> = {
  "Tom has 3 boxes of 4 pencils. How many pencils does he have?": 12,
  "A shelf holds 5 rows of 6 books. How many books are on it?": 30,
  "There are 7 teams of 2 players. How many players are there?": 14,
};
const ANSWER_LINE = 'End with a last line of the form "Answer: <number>".';

function standInModel(request: StubRequest): string {
  const system = request.system ?? "";
  const role = extractTagged(request.prompt, "ROLE");
  const variable = extractTagged(request.prompt, "VARIABLE");
  if (/IMPROVED_VARIABLE/.test(system)) {
    const asked = extractAllTagged(request.prompt, "FEEDBACK").some((f) => /Answer:/.test(f));
    const improved = asked && !variable!.includes("Answer:") ? `${variable}\n${/prompt/.test(role ?? "") ? ANSWER_LINE : "Answer: 1 hour"}` : variable;
    return `<IMPROVED_VARIABLE>${improved}</IMPROVED_VARIABLE>`;
  }
  if (variable !== undefined) return `The ${role} never states the final number on its own line; it should end with "Answer: <number>" so the result can be checked.`;
  if (system.startsWith("Evaluate")) return /Answer: \S+\s*$/.test(request.prompt) ? "Correct, and the result is easy to check." : "The reasoning is plausible, but the final answer is not stated on its own line.";
  const n = TRUTH[request.prompt];
  if (n === undefined) return "Drying happens in parallel, so 30 shirts take about as long as 25: roughly 1 hour.";
  return system.includes("Answer:") ? `Multiplying the two numbers gives ${n}.\nAnswer: ${n}` : `Multiplying the two numbers gives ${n}.`;
}
// ---------------------------------------------------------------------------------------------------------------

async function openEngine(): Promise<{ engine: Engine; where: string; close: () => Promise<void> }> {
  if (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL) {
    return { engine: defaultEngine(), where: process.env.OPENAI_BASE_URL ?? "OpenAI", close: async () => {} };
  }
  const stub = await startStubServer({ reply: standInModel });
  const model = new ChatOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", maxRetries: 0, configuration: { baseURL: stub.url } });
  return { engine: chatModelEngine(model), where: `the stand-in model at ${stub.url}`, close: () => stub.close() };
}

const { engine: base, where, close } = await openEngine();
const engine = withUsage(base);
console.log(`Engine: ${where}\n`);

try {
  // 1. TextGrad's canonical loop: answer → TextLoss → backward → TGD step on the answer itself.
  const question = new Variable("If it takes 1 hour to dry 25 shirts under the sun, how long will it take to dry 30 shirts?", {
    role: "question to the LLM",
    requiresGrad: false,
  });
  const solver = new BlackboxLLM({ engine, systemPrompt: "You are a helpful assistant." });
  const answer = await solver.forward(question, { role: "concise and accurate answer to the question", requiresGrad: true });
  console.log(`1. Answer:\n${answer.value}\n`);
  const loss = await new TextLoss("Evaluate the answer to the question. Be critical and concise.", { engine }).forward(answer);
  console.log(`   Evaluation:\n${loss.value}\n`);
  await loss.backward({ engine });
  console.log(`   Feedback on the answer:\n${answer.gradientText()}\n`);
  await new TGD({ parameters: [answer], engine }).step();
  console.log(`   Improved answer:\n${answer.value}\n`);
  console.log(`   Calls so far: ${engine.usage.calls} (forward 2, backward 1, step 1)\n`);

  // 2. Prompt optimization: one trainable system prompt shared by a batch, an exact-match metric, sum, one step.
  const system = new Variable("You are a careful solver of word problems.", { role: "system prompt of the solver", requiresGrad: true });
  const model = new BlackboxLLM({ engine, systemPrompt: system });
  const metric = new StringBasedFunction({
    purpose: 'exact match: 1 when the prediction\'s last line is "Answer: <ground truth>", else 0',
    fn: ({ prediction, truth }) => Number(prediction!.value.trim().split("\n").at(-1) === `Answer: ${truth!.value}`),
  });
  const batch = Object.entries(TRUTH).map(([q, n]) => ({
    question: new Variable(q, { role: "question to the solver" }),
    truth: new Variable(String(n), { role: "ground truth" }),
  }));
  const accuracy = async () => {
    const predictions = await Promise.all(batch.map((s) => model.forward(s.question, { role: "prediction of the solver" })));
    const losses = predictions.map((prediction, i) => metric.forward({ prediction, truth: batch[i]!.truth }));
    return { losses, correct: losses.filter((l) => l.value === "1").length };
  };
  const before = engine.usage.calls;
  const { losses, correct } = await accuracy();
  console.log(`2. Accuracy before: ${correct}/${batch.length}`);
  await sum(losses).backward({ engine });
  console.log(`   Feedback on the system prompt (${system.gradients.length} pieces, one per sample):\n   ${system.gradients[0]?.text}\n`);
  await new TGD({ parameters: [system], engine, constraints: ["Keep it under 60 words."] }).step();
  console.log(`   New system prompt:\n${system.value}\n`);
  console.log(`   Calls for the step: ${engine.usage.calls - before} (3B+1 with B=${batch.length})`);
  const after = await accuracy();
  console.log(`   Accuracy after: ${after.correct}/${batch.length}`);
  console.log(`\nTotal: ${engine.usage.calls} calls, ${engine.usage.totalTokens} tokens${engine.usage.estimated ? " (estimated)" : ""}.`);
} finally {
  await close();
}
