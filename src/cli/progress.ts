/**
 * @module cli/progress
 * How a long run shows its progress: a cli-progress bar when stdout is a terminal, plain log lines when it is not
 * (CI logs, pipes), so both a person and a log reader see step i/N, phase, calls, tokens, cost, best score and ETA.
 */
import cliProgress from "cli-progress";

/** What the progress display shows. */
export interface ProgressState {
  /** Steps decided so far (resumed ones included). */
  readonly done: number;
  readonly total: number;
  /** What the run is doing now, e.g. "baseline", "minibatch", "backward", "propose", "validate". */
  readonly phase: string;
  readonly calls: number;
  readonly tokens: number;
  /** USD, when prices are known. */
  readonly cost?: number;
  readonly best?: number;
}

/** A progress display: `update` as things change, `log` for a line that stays (a step's decision), `stop` at the end. */
export interface ProgressView {
  update(state: ProgressState): void;
  log(line: string): void;
  stop(): void;
}

const number = new Intl.NumberFormat("en-US");
const money = (cost: number | undefined) => (cost === undefined ? "n/a" : `$${cost < 0.01 ? cost.toFixed(4) : cost.toFixed(2)}`);
const score = (best: number | undefined) => (best === undefined ? "n/a" : best.toFixed(3));

/** Seconds as "42s", "3m05s", "1h02m". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * The plain line of a state: `step 2/5 | validate | 14 calls | 5,210 tokens | $0.0021 | best 0.625 | ETA 12s`.
 * The ETA comes from the time per step decided in this process (resumed steps took no time here).
 */
export function progressLine(state: ProgressState, eta: number | undefined): string {
  return [
    `step ${state.done}/${state.total}`,
    state.phase,
    `${number.format(state.calls)} calls`,
    `${number.format(state.tokens)} tokens`,
    money(state.cost),
    `best ${score(state.best)}`,
    `ETA ${eta === undefined ? "n/a" : formatSeconds(eta)}`,
  ].join(" | ");
}

/**
 * A bar on a TTY, plain lines otherwise (one per phase change or step, never per call).
 *
 * @example
 * const view = progressView(process.stdout);
 * view.update({ done: 1, total: 5, phase: "validate", calls: 12, tokens: 4_000, best: 0.5 });
 */
export function progressView(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressView {
  const started = now();
  let firstDone: number | undefined;
  const eta = (s: ProgressState): number | undefined => {
    firstDone ??= s.done;
    const here = s.done - firstDone;
    if (here <= 0) return undefined;
    return ((now() - started) / 1000 / here) * (s.total - s.done);
  };
  if (!stream.isTTY) {
    let last = "";
    return {
      update(state) {
        const key = `${state.done}|${state.phase}`;
        if (key === last) return;
        last = key;
        stream.write(`${progressLine(state, eta(state))}\n`);
      },
      log: (line) => void stream.write(`${line}\n`),
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: "{bar} step {value}/{total} | {phase} | {calls} calls | {tokens} tokens | {cost} | best {best} | ETA {etaText}",
      hideCursor: true,
      clearOnComplete: false,
      barsize: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(state) {
      const payload = { phase: state.phase, calls: number.format(state.calls), tokens: number.format(state.tokens), cost: money(state.cost), best: score(state.best) };
      const etaSeconds = eta(state);
      const etaText = etaSeconds === undefined ? "n/a" : formatSeconds(etaSeconds);
      if (!bar) bar = bars.create(state.total, state.done, { ...payload, etaText });
      else {
        bar.setTotal(state.total);
        bar.update(state.done, { ...payload, etaText });
      }
    },
    log: (line) => bars.log(`${line}\n`),
    stop: () => bars.stop(),
  };
}
