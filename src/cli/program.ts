/**
 * @module cli/program
 * The `tracegrad` command line: one commander program, one file per command under `commands/`.
 */
import { Command } from "commander";
import { VERSION } from "../version.js";
import { describeFailure, EXIT } from "./exit-codes.js";
import { graphCommand } from "./commands/graph.js";
import { promptsCommand } from "./commands/prompts.js";
import { feedbackCommand } from "./commands/feedback.js";
import { optimizeCommand } from "./commands/optimize.js";
import { reportCommand } from "./commands/report.js";

/** The program with every command; usage errors throw (exit 2 in {@link runCli}) instead of exiting. */
export function createProgram(): Command {
  const program = new Command("tracegrad")
    .description("TextGrad for agents that already exist: see a traced run's graph, optimize prompts, manage prompt versions and feedback")
    .version(VERSION)
    .option("--verbose", "on errors, print the stack and causes")
    // program options only before the command, so `prompts show x --version 3` is the command's own --version
    .enablePositionalOptions()
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  for (const command of [graphCommand(), optimizeCommand(), promptsCommand(), feedbackCommand(), reportCommand()]) program.addCommand(inherit(command));
  return program;
}

/**
 * Commands built on their own do not inherit the program's settings; give each (and its subcommands) them, and
 * `--verbose` to every command that runs something, so it works after the command too.
 */
function inherit(command: Command): Command {
  command.exitOverride().showHelpAfterError("(add --help for usage)");
  if (command.commands.length === 0) command.option("--verbose", "on errors, print the stack and causes");
  for (const sub of command.commands) inherit(sub);
  return command;
}

/**
 * Runs the command line and resolves to its exit code: 0 ok, 1 failure, 2 usage (unknown command or option, invalid
 * config). Errors print one line on stderr; `--verbose` adds the stack.
 *
 * @example
 * process.exitCode = await runCli(process.argv);
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    const { code, message } = describeFailure(error, argv.includes("--verbose"));
    if (message !== undefined) process.stderr.write(`${message}\n`);
    return code;
  }
}
