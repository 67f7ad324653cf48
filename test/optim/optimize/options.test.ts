import { describe, expect, it } from "vitest";
import { InvalidArgumentError, NoEngineError, optimize, param, trace, traceModule } from "../../../src/index.js";
import { taskOptions } from "../../support/simulated-optimize.js";
import { createSimulatedTask } from "../../../src/testing/index.js";

describe("optimize() options", () => {
  const task = createSimulatedTask({ seed: 1 });
  const ok = { ...taskOptions(task), steps: 1 };

  it.each([
    [{ selection: "best" }, "selection", /"greedy", "pareto"/],
    [{ steps: 1.5 }, "steps", /whole number/],
    [{ batchSize: 0 }, "batchSize", /at least 1/],
    [{ trainset: [] }, "trainset", /at least 1/],
    [{ gate: "yes" }, "gate", /boolean/],
    [{ metric: "exact" }, "metric", /function/],
    [{ budget: { maxCall: 3 } }, "budget.maxCall", /in budget: "maxCall"; the options are: maxCalls, maxTokens, maxCost/],
    [{ stepz: 3 }, "stepz", /unknown option "stepz"/],
  ])("%o is an InvalidArgumentError naming %s", async (change, subject, message) => {
    const error = await optimize({ ...ok, ...(change as object) } as typeof ok).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidArgumentError).subject).toBe(subject);
    expect((error as Error).message).toMatch(message);
    expect(task.engine.calls).toHaveLength(0);
  });

  it("needs an engine", async () => {
    const error = await optimize({ ...ok, engine: undefined } as unknown as typeof ok).catch((e: unknown) => e);
    expect(NoEngineError.isInstance(error)).toBe(true);
  });

  it("refuses an agent that reads no param(), saying how to declare one", async () => {
    const plain = traceModule("plain", async (q: string) => q.toUpperCase());
    const error = await optimize({ ...ok, agent: (e: { question: string }) => plain(e.question) }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/param\(/);
  });

  it("a metric that returns something else than a score fails naming the example", async () => {
    const error = await optimize({ ...ok, metric: () => ({ score: Number.NaN }) }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/val example 0/);
  });

  it("finds the parameters the runs read by default, and refuses given ones no run reads", async () => {
    const other = param("other.system", "Unused.", { role: "another prompt" });
    const world = createSimulatedTask({ seed: 1 });
    const run = await trace(() => world.agent(world.trainset[0]!));
    expect([...run.params.keys()]).toEqual(["solver.system"]);
    const error = await optimize({ ...ok, agent: world.agent, engine: world.engine, metric: world.metric, parameters: [other] }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/none of the given parameters \(other\.system\).*the runs read: solver\.system/);
    expect(world.engine.calls).toHaveLength(0);
    const found = await optimize({ ...ok, agent: world.agent, engine: world.engine, metric: world.metric });
    expect(Object.keys(found.best.values)).toEqual(["solver.system"]);
  });
});
