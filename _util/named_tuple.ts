/**
 * What Python's named tuples give every result class built on them: index
 * getters and `length` on the prototype, `_make`, `_replace`, `_asdict` and
 * the `repr`, with Python's error messages. The classes keep their own
 * methods (for their JSDoc and types) and call these.
 *
 * Follows CPython 3.13 `Lib/collections/__init__.py` (`namedtuple`).
 *
 * @module
 */

import { missingArguments } from "./py_args.ts";
import { pyRepr } from "./py_repr.ts";

/** A named-tuple class as its constructor: one argument per field, in order. */
export type FieldsConstructor<T, R> = new (...fields: T[]) => R;

/**
 * Gives the instances of `ctor` the tuple view of `fields` (`r[0]`,
 * `r.length`) and their `toString()` (Python's `repr`) when inspected, and returns `fields` for
 * the class's `_fields`. The getters live on the prototype, so building a
 * tuple only sets its named fields; a subclass of Array would cost far more
 * per tuple.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tupleFields } from "./named_tuple.ts";
 * class Pair {
 *   static readonly _fields = tupleFields(this, ["a", "b"]);
 *   constructor(readonly a: number, readonly b: number) {}
 * }
 * const pair = new Pair(1, 2) as Pair & { 1: number; length: number };
 * equal(pair[1], 2);
 * equal(pair.length, 2);
 * ```
 */
export function tupleFields<const N extends readonly string[]>(
  ctor: { prototype: object },
  fields: N,
): N {
  const proto = ctor.prototype;
  fields.forEach((field, i) => {
    Object.defineProperty(proto, i, {
      get(this: Record<string, unknown>) {
        return this[field];
      },
      configurable: true,
    });
  });
  Object.defineProperty(proto, "length", { value: fields.length });
  for (const symbol of INSPECT) {
    Object.defineProperty(proto, symbol, {
      value: function (this: object) {
        return this.toString();
      },
      configurable: true,
      writable: true,
    });
  }
  return fields;
}

/** How Deno and Node ask an object for its printed form. */
const INSPECT = [
  Symbol.for("Deno.customInspect"),
  Symbol.for("nodejs.util.inspect.custom"),
];

/** The field names of the named-tuple class `ctor`, in tuple order. */
export function fieldsOf(ctor: unknown): readonly string[] {
  return (ctor as { _fields: readonly string[] })._fields;
}

/** The fields of `tuple`, in tuple order. */
export function valuesOf<T>(tuple: object): T[] {
  const record = tuple as Record<string, T>;
  return fieldsOf(tuple.constructor).map((name) => record[name] as T);
}

/**
 * Refuses a tuple built with fields missing, as Python's named tuples do
 * (`SplitResult("a", "b")` is a `TypeError` there, not three `None`s).
 */
export function checkAllGiven(tuple: object, values: readonly unknown[]): void {
  if (!values.includes(undefined)) return;
  const names = fieldsOf(tuple.constructor);
  throw missingArguments(
    `${tuple.constructor.name}.__new__`,
    names.filter((_, i) => values[i] === undefined),
  );
}

/** Python's `_make`: a tuple of class `ctor` from exactly its fields. */
export function makeTuple<T, R>(
  ctor: FieldsConstructor<T, R>,
  iterable: Iterable<T>,
): R {
  const values = Array.from(iterable);
  const count = fieldsOf(ctor).length;
  if (values.length !== count) {
    throw new TypeError(`Expected ${count} arguments, got ${values.length}`);
  }
  return new ctor(...values);
}

/** Python's `_replace`: a copy of `tuple` with the fields `changes` names. */
export function replaceFields<R extends object>(
  tuple: R,
  changes: object,
): R {
  const names = fieldsOf(tuple.constructor);
  const unknown = Object.keys(changes).filter((k) => !names.includes(k));
  if (unknown.length > 0) {
    throw new TypeError(`Got unexpected field names: ${pyRepr(unknown)}`);
  }
  const given = changes as Record<string, unknown>;
  const values = valuesOf<unknown>(tuple).map((value, i) => {
    const change = given[names[i] as string];
    return change === undefined ? value : change;
  });
  const ctor = tuple.constructor as FieldsConstructor<unknown, R>;
  return new ctor(...values);
}

/** Python's `_asdict`: the fields of `tuple` as a plain object. */
export function asDict<F>(tuple: object): F {
  const values = valuesOf<unknown>(tuple);
  const names = fieldsOf(tuple.constructor);
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as F;
}

/** Python's `repr` of `tuple`: `Name(field=value, …)`. */
export function tupleRepr(tuple: object): string {
  const values = valuesOf<unknown>(tuple);
  const body = fieldsOf(tuple.constructor).map((name, i) =>
    `${name}=${pyRepr(values[i])}`
  );
  return `${tuple.constructor.name}(${body.join(", ")})`;
}
