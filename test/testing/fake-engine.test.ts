import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TracegradError } from "../../src/errors.js";
import { EchoEngine, FakeEngine, FakeEngineExhaustedError } from "../../src/testing/index.js";

describe("FakeEngine", () => {
  it("answers from the list in order and records every request", async () => {
    const engine = new FakeEngine(["first", "second"]);
    expect((await engine.generate({ prompt: "a" })).text).toBe("first");
    expect((await engine.generate({ system: "s", prompt: "b", temperature: 0 })).text).toBe("second");
    expect(engine.calls).toEqual([{ prompt: "a" }, { system: "s", prompt: "b", temperature: 0 }]);
    expect(engine.model).toBe("fake");
  });

  it("says how many calls were made when the list runs out", async () => {
    const engine = new FakeEngine(["only"]);
    await engine.generate({ prompt: "a" });
    const error = await engine.generate({ prompt: "b" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FakeEngineExhaustedError);
    expect(TracegradError.isInstance(error)).toBe(true);
    expect((error as FakeEngineExhaustedError).name).toBe("FakeEngineExhaustedError");
    expect((error as Error).message).toBe(
      "FakeEngine: call 2 but only 1 response was scripted. Add responses to new FakeEngine([...]) or pass a function (request) => string.",
    );
    expect(engine.calls).toHaveLength(2);
  });

  it("computes replies with a sync or async function", async () => {
    const sync = new FakeEngine((request) => `re: ${request.prompt}`, { model: "scripted" });
    const async = new FakeEngine(async (request) => `${request.system ?? "-"}/${request.prompt}`);
    expect(await sync.generate({ prompt: "x" })).toMatchObject({ text: "re: x", model: "scripted" });
    expect((await async.generate({ system: "s", prompt: "y" })).text).toBe("s/y");
  });

  it("reports usage as ceil(characters / 4)", async () => {
    const engine = new FakeEngine(["12345"]);
    const reply = await engine.generate({ system: "abcd", prompt: "efghi" });
    expect(reply.usage).toEqual({ inputTokens: 3, outputTokens: 2, totalTokens: 5 });
  });

  it("rejects a function that returns a non-string, and bad responses", async () => {
    await expect(new FakeEngine(() => 42 as never).generate({ prompt: "x" })).rejects.toThrow(InvalidArgumentError);
    expect(() => new FakeEngine("not a list" as never)).toThrow(/array of strings or a function/);
  });
});

describe("EchoEngine", () => {
  it("returns the prompt and records the request", async () => {
    const engine = new EchoEngine();
    const reply = await engine.generate({ system: "ignored", prompt: "hello" });
    expect(reply).toMatchObject({ text: "hello", model: "echo", usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } });
    expect(engine.calls).toEqual([{ system: "ignored", prompt: "hello" }]);
  });
});
