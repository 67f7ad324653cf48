// Issue 9, task 3: memoized backward. refine() runs backward from the loss once per module (and per round); a later
// module whose graph, downstream feedback and prompts did not change must reuse the replies instead of asking again.
import { describe, expect, it } from "vitest";
import { readTextgradRequest } from "../../src/testing/index.js";
import { refine, TextLoss, trace, type Engine, type EngineRequest } from "../../src/index.js";
import { createChameleonModel } from "../../examples/chameleon/sim/chameleon-model.js";
import { createChameleon } from "../../examples/chameleon/agent.js";
import { questions } from "../../examples/chameleon/data/questions.js";
import { SimulatedChatModel } from "../../examples/chameleon/simulated-chat-model.js";
import { traceChameleon } from "../../examples/chameleon/traced.js";
import { chameleonWorld } from "../../examples/chameleon/world.js";

async function refined(id: string, rounds: number) {
  const sim = createChameleonModel(chameleonWorld);
  const agent = createChameleon({ model: new SimulatedChatModel(sim) });
  traceChameleon(agent);
  const q = questions.find((x) => x.id === id)!;
  const run = await trace(() => agent.solve(q));
  const backward: string[] = [];
  const engine: Engine = {
    model: "simulated",
    generate: (request: EngineRequest) => {
      if (readTextgradRequest({ system: request.system, prompt: request.prompt })?.kind === "backward") backward.push(`${request.system}\n${request.prompt}`);
      return sim.generate(request);
    },
  };
  const result = await refine(run, { engine, rounds, loss: (out) => new TextLoss(`Evaluate the answer to the question: ${q.question}`, { engine }).forward(out) });
  return { result, backward, truth: q.choices[q.answer] };
}

describe("refine reuses backward replies that did not change", () => {
  it("sends no backward request twice, over modules and rounds, and still fixes the answer", async () => {
    const { result, backward, truth } = await refined("soc-01", 2);
    expect(result.run.output).toBe(truth);
    expect(backward.length).toBeGreaterThan(0);
    expect(new Set(backward).size).toBe(backward.length);
  });

  it("asks once for a right answer whose six modules all see the same graph", async () => {
    const { result, backward } = await refined("soc-02", 1);
    expect(result.modules).toHaveLength(6);
    expect(result.modules.every((m) => !m.changed)).toBe(true);
    expect(backward).toHaveLength(1);
  });
});
