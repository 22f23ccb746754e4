/**
 * The Python type name of a JavaScript value, for error messages worded as
 * Python words them (`must be str, not int`).
 *
 * Follows CPython 3.13 `Objects/typeobject.c`, the `__name__` of the built-in types.
 *
 * @module
 */

/**
 * The name Python would give the type of `value`: `None` is `NoneType`, a
 * string `str`, a safe integer `int` (another number `float`), a `Uint8Array` `bytes`, an array
 * `list`, a plain object `dict`; other objects go by their class.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { typeName } from "./py_type_name.ts";
 * equal(typeName(null), "NoneType");
 * equal(typeName(1.5), "float");
 * equal(typeName(2 ** 60), "float"); // beyond 2^53: a float's value
 * equal(typeName({ a: 1 }), "dict");
 * equal(typeName(new Map()), "Map");
 * ```
 */
export function typeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (value instanceof Uint8Array) return "bytes";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      // As pyRepr prints it: beyond 2^53 a number is a float's value.
      return Number.isSafeInteger(value) ? "int" : "float";
    case "boolean":
      return "bool";
    case "object":
      return objectTypeName(value);
    default:
      return typeof value;
  }
}

function objectTypeName(value: object): string {
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return "dict";
  const name = (proto.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name !== "" ? name : "object";
}
