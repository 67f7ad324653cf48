/**
 * @module cli/load-config
 * Imports a config module (`tracegrad.config.ts`, `.mts`, `.js`, `.mjs`) and returns its default export, called when
 * it is a function. TypeScript configs load through tsx when this process does not already understand TypeScript.
 */
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";

const TS = /\.(c|m)?tsx?$/i;

/**
 * The config module's default export (awaited; a function is called with no arguments and awaited).
 *
 * @throws ConfigError when the file is missing, cannot be loaded, or has no default export.
 */
export async function importConfig(path: string): Promise<unknown> {
  const file = resolve(path);
  await access(file).catch((error: unknown) => {
    throw new ConfigError(`config file ${path} was not found; pass --config <file>, a .ts, .mts, .js or .mjs module whose default export is optimize()'s options.`, {
      subject: path,
      cause: error,
    });
  });
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!TS.test(file) || (error as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw loadError(path, error);
    mod = await importWithTsx(path, url);
  }
  if (!("default" in mod) || mod.default === undefined) {
    throw new ConfigError(`config ${path} has no default export; end it with \`export default { agent, trainset, valset, metric, engine, steps }\`.`, { subject: path });
  }
  const value = mod.default;
  try {
    return typeof value === "function" ? await (value as () => unknown)() : value;
  } catch (error) {
    throw loadError(path, error);
  }
}

/**
 * Registers tsx globally (not `tsImport`'s namespace: a namespaced import would load a second copy of tracegrad for the
 * config, whose params and traced modules the optimizer in this process would not see).
 */
async function importWithTsx(path: string, url: string): Promise<Record<string, unknown>> {
  let api: typeof import("tsx/esm/api");
  try {
    api = await import("tsx/esm/api");
  } catch (error) {
    throw new ConfigError(`config ${path} is TypeScript and tsx is not installed; install it (npm install -D tsx) or write the config as .js or .mjs.`, {
      subject: path,
      cause: error,
    });
  }
  api.register();
  try {
    // a fresh URL: the failed import above may be remembered for the plain one
    return (await import(`${url}?tracegrad-config`)) as Record<string, unknown>;
  } catch (error) {
    throw loadError(path, error);
  }
}

function loadError(path: string, error: unknown): ConfigError {
  // a transform error's first line says only that it failed; the next lines say where and why
  const reason = error instanceof Error ? error.message.split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" ") : String(error);
  return new ConfigError(`config ${path} could not be loaded: ${reason}`, { subject: path, cause: error });
}
