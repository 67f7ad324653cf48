/**
 * @module store/rotated-name
 * Names of rotated trace files, as the OpenTelemetry Collector's file exporter (lumberjack) gives them: the UTC time
 * of rotation inserted before the extension, `traces.jsonl` → `traces-2026-12-05T17-15-00.000.jsonl`. These names sort
 * by time, and before the active file (`-` sorts before `.`), so reading a directory in name order reads records in
 * the order they were written.
 */
import { basename, dirname, extname, join } from "node:path";

/**
 * The name `path` is renamed to when rotated at `time`. A name already taken (two rotations in one millisecond) moves
 * to the next free millisecond, so names stay unique and still sort in rotation order.
 *
 * @example
 * rotatedName("traces/traces.jsonl", new Date("2026-12-05T17:15:00Z"), () => false); // "traces/traces-2026-12-05T17-15-00.000.jsonl"
 */
export function rotatedName(path: string, time: Date, taken: (candidate: string) => boolean): string {
  const ext = extname(path);
  const base = basename(path, ext);
  for (let ms = time.getTime(); ; ms++) {
    const stamp = new Date(ms).toISOString().replace(/:/g, "-").replace(/Z$/, "");
    const candidate = join(dirname(path), `${base}-${stamp}${ext}`);
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Orders file names for reading: plain name order, which puts each file's rotated copies (oldest first) before it.
 *
 * @example
 * ["traces.jsonl", "traces-2026-12-05T17-15-00.000.jsonl"].sort(compareTraceFiles); // rotated first
 */
export function compareTraceFiles(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
