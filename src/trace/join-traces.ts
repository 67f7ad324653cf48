/**
 * @module trace/join-traces
 * The time half of stitching (trace/stitch-traces): a trace that ran entirely inside another one's time range was
 * almost surely part of it — a run whose spans lost their OTel context. Traces are numbered, so the sweep works on
 * arrays rather than on maps keyed by trace id.
 */
import { CLOCK_SKEW_MS } from "./clock.js";

/** The traces of a list of calls: ids in order of first appearance, their time ranges, and each call's trace. */
export interface TraceTable {
  readonly ids: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** The trace (index into `ids`) of the call at each position. */
  readonly traceAt: Int32Array;
}

/**
 * Which trace each trace was joined to (`hostOf[t]`, -1 when it stays apart), with one warning per host naming the
 * traces joined to it. Sweeping the traces by start (longest first on ties), a trace inside the current host's range
 * — within the clock skew between root spans: the last model call of an AI SDK run can seem to end just after the
 * run — joins it; any other trace becomes the host.
 */
export function joinTraces(table: TraceTable, warn: (warning: string) => void): { hostOf: Int32Array; joined: number } {
  const { ids, starts, ends } = table;
  const hostOf = new Int32Array(ids.length).fill(-1);
  if (ids.length <= 1) return { hostOf, joined: 0 };
  const byStart = Array.from(ids, (_, t) => t).sort((a, b) => starts[a]! - starts[b]! || ends[b]! - ends[a]!);
  // the traces joined to each host, hosts in order of their first joined trace (the order of the warnings)
  const guests: number[][] = [];
  const hosts: number[] = [];
  let host = -1;
  let joined = 0;
  for (const t of byStart) {
    if (host >= 0 && starts[t]! >= starts[host]! - CLOCK_SKEW_MS && ends[t]! <= ends[host]! + CLOCK_SKEW_MS) {
      hostOf[t] = host;
      joined++;
      if (guests[host] === undefined) {
        guests[host] = [];
        hosts.push(host);
      }
      guests[host]!.push(t);
    } else host = t;
  }
  for (const h of hosts) {
    const from = guests[h]!.map((t) => ids[t]!);
    const shown = from.slice(0, 5).join(", ") + (from.length > 5 ? `, … (${from.length} traces)` : "");
    warn(`spans of trace ${ids[h]} continue under trace ids ${shown}, which ran inside its time range; they were joined into one trace — the likely cause is that no OTel context manager is registered (register one, e.g. AsyncLocalStorageContextManager, or run the agent inside tracegrad's trace())`);
  }
  return { hostOf, joined };
}
