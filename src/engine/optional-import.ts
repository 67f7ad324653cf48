/**
 * @module engine/optional-import
 * LangChain packages are optional peers, so they are imported on first use, never at module load: importing tracegrad
 * must work without them.
 */
import { ConfigError } from "../errors.js";

/**
 * Runs `load` (a dynamic import) and turns "module not found" into a ConfigError that says what to install.
 * `user` names the function that needs the package, for the message.
 */
export async function importOptional<T>(load: () => Promise<T>, packageName: string, user: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new ConfigError(`${user} needs the optional package ${packageName}, which is not installed; run \`npm install ${packageName}\`.`, {
        subject: packageName,
        cause: error,
      });
    }
    throw error;
  }
}
