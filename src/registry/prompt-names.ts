/**
 * @module registry/prompt-names
 * What a prompt name and a label may be. Names become file paths in the file store (`a/b.c` → `a/b.c.json`), so they
 * are restricted to characters that are safe in paths on every OS and in URLs, with `/` for folders (as in Langfuse).
 */
import { InvalidArgumentError } from "../errors.js";

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const LABEL = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The label every read uses unless told otherwise. */
export const PRODUCTION_LABEL = "production";
/** The label the registry moves to each new version itself; users cannot set it. */
export const LATEST_LABEL = "latest";

/**
 * Throws unless `name` is a valid prompt name: segments of letters, digits, `.`, `_`, `-` (not starting with `.` or
 * `-`), separated by `/`.
 *
 * @example
 * checkPromptName("planner.system", "publish"); // ok
 * checkPromptName("../etc", "publish");         // InvalidArgumentError
 */
export function checkPromptName(name: unknown, where: string): asserts name is string {
  const ok = typeof name === "string" && name.length <= 200 && name.split("/").every((s) => SEGMENT.test(s) && !s.endsWith(".json"));
  if (!ok) {
    throw new InvalidArgumentError(
      `${where}: prompt name ${JSON.stringify(name)} is not valid; use letters, digits, ".", "_", "-" and "/" for folders, e.g. "planner.system" or "agents/planner.system".`,
      { subject: String(name) },
    );
  }
}

/**
 * Throws unless `label` is a valid label, and (when `settable`) one a user may move: `latest` is maintained by the
 * registry.
 */
export function checkLabel(label: unknown, where: string, settable: boolean): asserts label is string {
  if (typeof label !== "string" || !LABEL.test(label) || label.length > 100) {
    throw new InvalidArgumentError(`${where}: label ${JSON.stringify(label)} is not valid; use letters, digits, ".", "_", "-", e.g. "production" or "candidate".`, {
      subject: String(label),
    });
  }
  if (settable && label === LATEST_LABEL) {
    throw new InvalidArgumentError(`${where}: the label "latest" is moved by the registry to each new version; it cannot be set — use another label, e.g. "candidate".`, {
      subject: label,
    });
  }
}

/** Throws unless `version` is a positive integer. */
export function checkVersionNumber(version: unknown, where: string): asserts version is number {
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new InvalidArgumentError(`${where}: version ${JSON.stringify(version)} is not valid; versions are integers 1, 2, …`, { subject: String(version) });
  }
}
