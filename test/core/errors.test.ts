// Typed errors: each class recognises its own instances (and its subclasses'), never a sibling's, also across two
// copies of the package, where instanceof fails.
import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors.js";
import {
  EngineCallError,
  EvaluationParseError,
  InvalidArgumentError,
  NoEngineError,
  ReplyParseError,
  TracegradError,
  UpdateParseError,
} from "../../src/errors.js";

type AnyErrorClass = typeof TracegradError;
const classes = Object.entries(errors).filter((e): e is [string, AnyErrorClass] => typeof e[1] === "function");
const make = (C: AnyErrorClass) => new (C as unknown as new (m: string, o: { reply: string }) => TracegradError)("m", { reply: "r" });

/** What an error thrown by another copy of the package looks like: the same registered markers, another class. */
function fromAnotherCopy(...classNames: string[]): Error {
  const error = new Error("from the other copy");
  for (const name of classNames) Object.defineProperty(error, Symbol.for(name === "TracegradError" ? "tracegrad.error" : `tracegrad.error.${name}`), { value: true });
  return error;
}

describe("error classes", () => {
  it("every exported class has its own registered marker and recognises its own instances", () => {
    expect(classes.length).toBeGreaterThanOrEqual(14);
    const markers = new Set<symbol>();
    for (const [name, C] of classes) {
      expect(Object.hasOwn(C, "marker"), `${name} declares its own marker`).toBe(true);
      expect(C.marker).toBe(Symbol.for(name === "TracegradError" ? "tracegrad.error" : `tracegrad.error.${name}`));
      markers.add(C.marker);
      const error = make(C);
      expect(error.name).toBe(name);
      expect(C.isInstance(error)).toBe(true);
      expect(TracegradError.isInstance(error)).toBe(true);
    }
    expect(markers.size).toBe(classes.length);
  });

  it("a class's isInstance rejects siblings, parents and look-alikes that only copy the name", () => {
    for (const [name, C] of classes) {
      for (const [other, O] of classes) {
        const related = other === name || O.prototype instanceof C; // O is C or a subclass of C
        expect(C.isInstance(make(O)), `${name}.isInstance(new ${other})`).toBe(related);
      }
    }
    const lookAlike = Object.assign(new Error("x"), { name: "EngineCallError" });
    expect(EngineCallError.isInstance(lookAlike)).toBe(false);
    expect(TracegradError.isInstance(lookAlike)).toBe(false);
    for (const value of [undefined, null, "EngineCallError", 42, {}]) expect(EngineCallError.isInstance(value)).toBe(false);
  });

  it("subclasses are instances of their parents: an UpdateParseError is a ReplyParseError, an EvaluationParseError is not an UpdateParseError", () => {
    const update = new UpdateParseError("no update", { reply: "junk" });
    expect(ReplyParseError.isInstance(update)).toBe(true);
    expect(UpdateParseError.isInstance(update)).toBe(true);
    expect(EvaluationParseError.isInstance(update)).toBe(false);
    expect(UpdateParseError.isInstance(new ReplyParseError("r", { reply: "" }))).toBe(false);
  });

  it("recognises errors from another copy of the package by their markers, where instanceof fails", () => {
    const other = fromAnotherCopy("TracegradError", "EngineCallError");
    expect(other).not.toBeInstanceOf(TracegradError);
    expect(TracegradError.isInstance(other)).toBe(true);
    expect(EngineCallError.isInstance(other)).toBe(true);
    expect(NoEngineError.isInstance(other)).toBe(false);

    const parse = fromAnotherCopy("TracegradError", "ReplyParseError", "UpdateParseError");
    expect(ReplyParseError.isInstance(parse)).toBe(true);
    expect(UpdateParseError.isInstance(parse)).toBe(true);
    expect(EvaluationParseError.isInstance(parse)).toBe(false);

    // an older copy marked only the base: still a TracegradError, but no particular class
    const older = fromAnotherCopy("TracegradError");
    expect(TracegradError.isInstance(older)).toBe(true);
    expect(InvalidArgumentError.isInstance(older)).toBe(false);
  });

  it("a user subclass without its own marker falls back to instanceof rather than accepting its parent", () => {
    class MyError extends EngineCallError {}
    class Marked extends EngineCallError {
      static override readonly marker = Symbol.for("tracegrad.test.Marked");
    }
    const mine = new MyError("mine");
    expect(MyError.isInstance(mine)).toBe(true);
    expect(EngineCallError.isInstance(mine)).toBe(true);
    expect(MyError.isInstance(new EngineCallError("plain"))).toBe(false);
    expect(Marked.isInstance(new Marked("m"))).toBe(true);
    expect(Marked.isInstance(mine)).toBe(false);
    expect(EngineCallError.isInstance(new Marked("m"))).toBe(true);
  });

  it("keeps the subject and the cause, and does not show markers as enumerable fields", () => {
    const cause = new Error("socket hang up");
    const error = new EngineCallError("LLMCall failed", { subject: "answer", cause });
    expect([error.subject, error.cause, error.message]).toEqual(["answer", cause, "LLMCall failed"]);
    expect(Object.getOwnPropertySymbols(error).every((s) => !Object.getOwnPropertyDescriptor(error, s)!.enumerable)).toBe(true);
  });
});
