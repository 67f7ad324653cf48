/**
 * @module store/trace-files
 * Which files a trace or feedback path means: the file itself, or every regular file of a directory (hidden ones
 * aside) in name order — which reads rotated files before their active file (see {@link rotatedName}).
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { accessError } from "./append-file.js";
import { compareTraceFiles } from "./rotated-name.js";

/**
 * The files to read for `pathOrDir`, in reading order.
 *
 * @throws StoreAccessError when the path is missing or unreadable.
 */
export async function listTraceFiles(pathOrDir: string, what: string): Promise<string[]> {
  if (typeof pathOrDir !== "string" || pathOrDir === "") {
    throw new InvalidArgumentError(`${what}: expected a file or directory path, got ${typeof pathOrDir === "string" ? "an empty string" : typeof pathOrDir}.`);
  }
  try {
    const info = await stat(pathOrDir);
    if (!info.isDirectory()) return [pathOrDir];
    const entries = await readdir(pathOrDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort(compareTraceFiles)
      .map((name) => join(pathOrDir, name));
  } catch (error) {
    throw accessError(pathOrDir, what, "read", error);
  }
}
