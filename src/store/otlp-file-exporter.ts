/**
 * @module store/otlp-file-exporter
 * An OTel `SpanExporter` writing the OpenTelemetry Collector file exporter's format: one OTLP JSON
 * `{"resourceSpans":[…]}` document per line, UTF-8, "\n"-separated, rotated by size. What it writes is what
 * {@link readTraces} reads, and so is what a Collector's `file` exporter writes — scaling up is a config change.
 *
 * Exporting never throws into the host: a failed write ends the export with `FAILED` (the SDK's processors report
 * that through OTel's global error handler) and the fault goes to `onError` as well.
 */
import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { InvalidArgumentError, StoreAccessError, TraceCaptureError } from "../errors.js";
import type { ErrorHook } from "../trace/capture.js";
import { reportFault } from "../trace/fault-sink.js";
import { toOtlpJson } from "../trace/otlp.js";
import { accessError, appendLine, openAppendFile, type AppendFile } from "./append-file.js";
import { rotatedName } from "./rotated-name.js";

/** The SDK's `ExportResult`, taken from the exporter interface rather than from @opentelemetry/core (not a dependency). */
type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];
/** `ExportResultCode` of @opentelemetry/core (SUCCESS 0, FAILED 1). */
const SUCCESS = 0;
const FAILED = 1;

/** The Collector file exporter's default rotation size (`rotation.max_megabytes: 100`). */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Options of {@link otlpFileExporter}. */
export interface OtlpFileExporterOptions {
  /** The active file, e.g. "traces/traces.jsonl"; its directory is created when missing. */
  readonly path: string;
  /**
   * Rotate when the next line would take the file past this many bytes (default 100 MiB, the Collector's default):
   * the file is renamed to `<name>-<UTC time>.<ext>` (e.g. `traces-2026-12-05T17-15-00.000.jsonl`) and a new one
   * started. A single line larger than this is written whole into a fresh file: a document is never split.
   */
  readonly maxBytes?: number;
  /** Receives write faults and notices (a torn last line found and closed off). The host is never thrown at. */
  readonly onError?: ErrorHook;
  /** The clock naming rotated files (tests fix it). Default: `() => new Date()`. */
  readonly now?: () => Date;
}

/**
 * An OTel SpanExporter appending one OTLP JSON document per export to `path` (JSON lines), synced to disk before
 * the export reports success, rotated at `maxBytes`.
 *
 * @example
 * const provider = new TracerProvider({
 *   spanProcessors: [new BatchSpanProcessor(otlpFileExporter({ path: "traces/traces.jsonl", maxBytes: 64e6 }))],
 * });
 */
export function otlpFileExporter(options: OtlpFileExporterOptions): SpanExporter {
  return new OtlpFileExporter(options);
}

class OtlpFileExporter implements SpanExporter {
  private readonly path: string;
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private file: Promise<AppendFile> | undefined;
  /** Exports run one after another, in call order; this is the tail of that chain. */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: OtlpFileExporterOptions) {
    const { path, maxBytes = DEFAULT_MAX_BYTES } = options;
    if (typeof path !== "string" || path === "") throw new InvalidArgumentError(`otlpFileExporter({ path }): path must be a file path such as "traces/traces.jsonl".`);
    if (!(typeof maxBytes === "number" && maxBytes > 0)) {
      throw new InvalidArgumentError(`otlpFileExporter({ maxBytes }): ${String(maxBytes)} is not a positive number of bytes — pass e.g. 64e6, or omit it for 100 MiB.`);
    }
    this.path = path;
    this.maxBytes = maxBytes;
    this.now = options.now ?? (() => new Date());
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = (result: { code: number; error?: Error }) => {
      try {
        resultCallback(result as ExportResult);
      } catch (error) {
        reportFault(this.options.onError, error, "otlpFileExporter result callback");
      }
    };
    if (this.stopped) {
      done({ code: FAILED, error: new TraceCaptureError(`otlpFileExporter("${this.path}"): export after shutdown(); ${spans.length} span(s) not written.`) });
      return;
    }
    let line: Buffer;
    try {
      line = Buffer.from(`${JSON.stringify(toOtlpJson(spans))}\n`, "utf8");
    } catch (error) {
      const fault = new TraceCaptureError(`otlpFileExporter("${this.path}"): ${spans.length} span(s) could not be serialized to OTLP JSON; not written.`, { cause: error });
      reportFault(this.options.onError, fault, "otlpFileExporter serialize");
      done({ code: FAILED, error: fault });
      return;
    }
    this.queue = this.queue.then(async () => {
      try {
        await this.write(line);
        done({ code: SUCCESS });
      } catch (error) {
        // a later export reopens the file rather than writing to a handle in an unknown state
        await this.closeFile();
        const fault = StoreAccessError.isInstance(error) ? error : accessError(this.path, "otlpFileExporter", "written", error);
        reportFault(this.options.onError, fault, "otlpFileExporter write");
        done({ code: FAILED, error: fault });
      }
    });
  }

  async forceFlush(): Promise<void> {
    await this.queue;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await this.closeFile();
  }

  private async write(line: Buffer): Promise<void> {
    let file = await this.openFile();
    if (file.size > 0 && file.size + line.length > this.maxBytes) file = await this.rotate();
    await appendLine(file, line);
  }

  private openFile(): Promise<AppendFile> {
    this.file ??= openAppendFile(this.path, "otlpFileExporter").then((file) => {
      if (file.repairedTornTail) {
        const notice = new TraceCaptureError(`otlpFileExporter: "${this.path}" ended mid-line (an earlier writer was killed while writing); a newline was added so that line stays separate — readTraces skips it with a warning.`);
        reportFault(this.options.onError, notice, "otlpFileExporter open");
      }
      return file;
    });
    // a failed open is not cached: the next export tries again
    this.file.catch(() => (this.file = undefined));
    return this.file;
  }

  private async rotate(): Promise<AppendFile> {
    await this.closeFile();
    const target = rotatedName(this.path, this.now(), existsSync);
    try {
      await rename(this.path, target);
    } catch (error) {
      throw accessError(this.path, "otlpFileExporter", `rotated to "${target}"`, error);
    }
    return this.openFile();
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await file.then((f) => f.handle.close()).catch(() => undefined);
  }
}
