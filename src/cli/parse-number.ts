/**
 * @module cli/parse-number
 * Number arguments for commander: a bad value is a usage error naming the option, not a NaN passed on.
 */
import { InvalidArgumentError as CommanderArgumentError } from "commander";

/** An integer ≥ 1 (a version number, a step count). */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new CommanderArgumentError(`expected a whole number ≥ 1, got "${value}".`);
  return n;
}

/** Any whole number. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CommanderArgumentError(`expected a whole number, got "${value}".`);
  return n;
}

/** A finite number. */
export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new CommanderArgumentError(`expected a number, got "${value}".`);
  return n;
}
