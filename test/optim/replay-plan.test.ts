import { describe, expect, it } from "vitest";
import { trace, traceModule } from "../../src/index.js";
import { callKeyOf, downstreamReplay } from "../../src/optim/replay-plan.js";

describe("downstreamReplay", () => {
  it("replays earlier calls, replaces the target and runs the rest — keeping call indexes when a replayed call had nested calls", async () => {
    let innerRuns = 0;
    const inner = traceModule("inner", async (x: string) => {
      innerRuns++;
      return `${x}!`;
    });
    const outer = traceModule("outer", async (x: string) => inner(x));
    const tail = traceModule("tail", async (x: string) => `${x} (tail)`);
    const agent = async () => tail(await inner(`${await outer("a")}b`));

    const run = await trace(agent);
    expect(run.output).toBe("a!b! (tail)");
    const keys = run.graph.calls.filter((c) => callKeyOf(c)).map((c) => `${c.name}#${c.callIndex}`);
    expect(keys).toEqual(["outer#0", "inner#0", "inner#1", "tail#0"]);

    // refine the top-level inner call (#1): outer#0 is replayed, so its nested inner#0 never runs this time
    const target = run.graph.calls.find((c) => c.name === "inner" && c.callIndex === 1)!;
    innerRuns = 0;
    const again = await run.rerun({ replay: downstreamReplay(run.graph.calls, target, "REFINED") });

    expect(again.output).toBe("REFINED (tail)"); // without skipping inner#0's index, inner#1 would get inner#0's output
    expect(innerRuns).toBe(0);
    const replayed = again.graph.calls.filter((c) => c.replayed).map((c) => `${c.name}#${c.callIndex}`);
    expect(replayed).toEqual(["outer#0", "inner#1"]);
  });
});
