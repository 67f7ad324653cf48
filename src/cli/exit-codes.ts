/**
 * @module cli/exit-codes
 * The exit codes a script can rely on, and how a thrown error maps to one line on stderr and a code.
 */
import { CommanderError } from "commander";
import { ConfigError, TracegradError } from "../errors.js";

/** 0 ok, 1 the command failed, 2 the command line or the config was wrong (nothing was run). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** What `tracegrad` does when an error reaches the top: the line to print (none when commander already did) and the code. */
export interface Failure {
  readonly code: number;
  readonly message?: string;
}

/**
 * Maps an error to its exit code and one line. Commander's own errors (unknown command or option, a missing argument)
 * are usage errors and already printed; help and version exit 0. An invalid config is a usage error too; everything
 * else is a failure. The line is the typed error's message; `verbose` adds the stack and causes.
 *
 * @example
 * const { code, message } = describeFailure(error, argv.includes("--verbose"));
 */
export function describeFailure(error: unknown, verbose: boolean): Failure {
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.ok : EXIT.usage };
  const code = ConfigError.isInstance(error) ? EXIT.usage : EXIT.failure;
  return { code, message: verbose ? fullText(error) : `error: ${oneLine(error)}` };
}

function oneLine(error: unknown): string {
  if (TracegradError.isInstance(error)) return `${error.message}`;
  if (error instanceof Error) {
    const sysCode = (error as NodeJS.ErrnoException).code;
    // a system error's message already names the path (ENOENT: no such file or directory, open 'x')
    return sysCode ? error.message : `${error.name}: ${error.message}`;
  }
  return String(error);
}

function fullText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 8; depth++) {
    parts.push(depth === 0 ? `error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` : `caused by: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join("\n");
}
