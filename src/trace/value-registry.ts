/**
 * @module trace/value-registry
 * Which traced call produced a value, so a later call's arguments can be resolved to explicit data-flow references
 * (`tracegrad.input.refs`). Objects are matched by identity (a WeakMap, so the registry never keeps agent values
 * alive); strings by the hash of their normalized text, which also matches a string argument that equals the text of
 * an earlier output. One registry per capture: concurrent runs never see each other's values.
 */
import { types } from "node:util";
import { hashText } from "./safe-text.js";

/** How many own fields of a plain object/array argument are looked into (one level deep) for produced values. */
const MAX_FIELDS = 64;

/** Value id by value, for one capture. */
export class ValueRegistry {
  readonly #objects = new WeakMap<object, string>();
  readonly #hashes = new Map<string, string>();

  /**
   * Records that `valueId` produced `value` whose normalized text hashes to `hash`. Empty texts are not registered
   * (they would match every empty argument). A later producer of the same text wins: it is the nearer one.
   */
  register(value: unknown, valueId: string, hash: string, text: string): void {
    if (typeof value === "object" && value !== null) this.#objects.set(value, valueId);
    if (text.trim().length > 0) this.#hashes.set(hash, valueId);
  }

  /** The value id of the call that produced `hash`, if any. */
  byHash(hash: string): string | undefined {
    return this.#hashes.get(hash);
  }

  /**
   * Value ids an argument refers to: the argument itself (object identity, or a non-empty string's content), or else
   * the produced values among its own fields, one level deep. Pass the string's {@link hashText} when it is known.
   */
  resolve(arg: unknown, hash?: string): string[] {
    const own = typeof arg === "string" && hash !== undefined ? (arg.trim().length > 0 ? this.#hashes.get(hash) : undefined) : this.#resolveOne(arg);
    if (own !== undefined) return [own];
    // a Proxy's traps are the agent's code: looking into one could throw or have effects, so only its identity counts
    if (typeof arg !== "object" || arg === null || types.isProxy(arg)) return [];
    const refs: string[] = [];
    const fields = Array.isArray(arg) ? arg : isPlainObject(arg) ? Object.values(arg) : [];
    for (let i = 0; i < fields.length && i < MAX_FIELDS; i++) {
      const ref = this.#resolveOne(fields[i]);
      if (ref !== undefined && !refs.includes(ref)) refs.push(ref);
    }
    return refs;
  }

  #resolveOne(value: unknown): string | undefined {
    if (typeof value === "string") return value.trim().length > 0 ? this.#hashes.get(hashText(value)) : undefined;
    if (typeof value === "object" && value !== null) return this.#objects.get(value);
    return undefined;
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
