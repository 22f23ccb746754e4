/**
 * Python-style optional arguments.
 *
 * Every public function that mirrors a Python signature accepts its optional
 * parameters either positionally, in Python's order, or as keywords in one
 * trailing plain object (`quote(s, "")` or `quote(s, { safe: "" })`), or both
 * (`quote(s, "", { encoding: "latin-1" })`). This module turns such an
 * argument list into one record of named values, raising the `TypeError`s
 * Python raises for a bad call.
 *
 * @module
 */

/** Options for {@linkcode pyArgs}. */
export interface PyArgsSpec<T> {
  /** The Python name of the function, used in error messages. */
  readonly fn: string;
  /** The optional parameters, in Python's positional order. */
  readonly names: readonly (keyof T & string)[];
  /**
   * Parameters that may only be given by keyword (Python's after `*`, and
   * additions such as `signal`).
   */
  readonly keywordOnly?: readonly (keyof T & string)[];
  /** Values used for parameters that are not given (or given as `undefined`). */
  readonly defaults: T;
  /**
   * Parameters whose values may themselves be plain objects (for example the
   * `headers` of `Request`). A trailing plain object standing at such a
   * parameter's position is taken positionally, unless every one of its
   * names is a keyword of the call (`new Request(url, data, { method:
   * "PUT" })`): then it is the keywords.
   */
  readonly objectParams?: readonly (keyof T & string)[];
}

/**
 * Python's mixed call form, as the type of a rest parameter: some optional
 * arguments by position, the rest by keyword, as Python's
 * `quote(s, "/", "utf-8", errors="strict")` is `quote(s, "/", "utf-8", {
 * errors: "strict" })`. `Positional` lists the parameters Python takes by
 * position, in its order (a labelled tuple: editors show the labels);
 * `Keywords` is the options object, naming those (as `Names`, in the same
 * order) and any keyword-only ones. A call gives a non-empty prefix of
 * `Positional` (`undefined` standing for a value not given) and then one
 * object with keywords for the parameters after it; a keyword naming a
 * parameter already given by position does not type-check, as Python
 * refuses it ("got multiple values"). The all-positional and all-keyword
 * forms are overloads of their own, which name each parameter.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import type { MixedArgs } from "./py_args.ts";
 * interface Options { sep?: string; end?: string; flush?: boolean }
 * function show(
 *   value: string,
 *   ...args: MixedArgs<[sep?: string, end?: string], Options, ["sep", "end"]>
 * ): number {
 *   return value.length + args.length;
 * }
 * equal(show("x", "-", { end: "" }), 3);
 * equal(show("x", "-", "", { flush: true }), 4);
 * ```
 */
export type MixedArgs<
  Positional extends readonly unknown[],
  Keywords,
  Names extends readonly (keyof Keywords)[],
> = Required<Positional> extends readonly [...infer Init, unknown]
  ? Names extends
    readonly [...infer InitNames extends (keyof Keywords)[], unknown]
    // All of Positional, then the keywords left (keyword-only ones).
    ?
      | ([keyof Omit<Keywords, Names[number]>] extends [never] ? never
        : [
          ...{ [I in keyof Positional]-?: Positional[I] | undefined },
          keywords: Omit<Keywords, Names[number]>,
        ])
      // Or fewer by position.
      | MixedArgs<Init, Keywords, InitNames>
  : never
  : never;

/** Whether a value is a plain `{...}` object (the shape of a keywords bag). */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Resolves the optional arguments `args` (everything after the required
 * parameters) against `spec`, returning one record with every parameter set.
 *
 * @example Positional, keyword and mixed calls resolve alike
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { pyArgs } from "./py_args.ts";
 * const spec = { fn: "quote", names: ["safe", "encoding"] as const, defaults: { safe: "/", encoding: null as string | null } };
 * assert(pyArgs(spec, [""]).safe === "");
 * assert(pyArgs(spec, [{ encoding: "latin-1" }]).encoding === "latin-1");
 * assert(pyArgs(spec, ["", { encoding: "latin-1" }]).safe === "");
 * ```
 *
 * @example A keyword-only parameter
 * ```ts
 * import { ok as assert, throws } from "node:assert/strict";
 * import { pyArgs } from "./py_args.ts";
 * const spec = {
 *   fn: "open",
 *   names: ["data"] as const,
 *   keywordOnly: ["signal"] as const,
 *   defaults: { data: null as string | null, signal: null as AbortSignal | null },
 * };
 * const signal = new AbortController().signal;
 * assert(pyArgs(spec, ["x", { signal }]).signal === signal);
 * throws(() => pyArgs(spec, ["x", "y"]), /at most 1/);
 * ```
 */
export function pyArgs<T extends object>(
  spec: PyArgsSpec<T>,
  args: readonly unknown[],
): T {
  const { fn, names, defaults } = spec;
  const result = { ...defaults } as Record<string, unknown>;
  let positional = args;
  let keywords: Record<string, unknown> | undefined;
  const lastIndex = args.length - 1;
  const last = args[lastIndex];
  if (
    lastIndex >= 0 && isPlainObject(last) &&
    (!(spec.objectParams ?? []).includes(
      names[lastIndex] as keyof T & string,
    ) || onlyKeywords(spec, last))
  ) {
    positional = args.slice(0, lastIndex);
    keywords = last;
  }
  if (positional.length > names.length) {
    throw new TypeError(
      `${fn}() takes at most ${names.length} optional arguments (${positional.length} given)`,
    );
  }
  const given = new Set<string>();
  positional.forEach((value, i) => {
    if (value === undefined) return;
    const name = names[i] as string;
    result[name] = value;
    given.add(name);
  });
  if (keywords) {
    for (const [name, value] of Object.entries(keywords)) {
      if (!accepts(spec, name)) {
        throw new TypeError(
          `${fn}() got an unexpected keyword argument '${name}'`,
        );
      }
      if (given.has(name)) {
        throw new TypeError(
          `${fn}() got multiple values for argument '${name}'`,
        );
      }
      if (value !== undefined) result[name] = value;
    }
  }
  return result as T;
}

/**
 * The sole optional parameter `name` of `fn` from `args`: by position or as
 * `{ [name]: value }`, `fallback` when not given (or given `undefined`).
 * One argument that is not a plain object is taken as it is, without the
 * resolver: the common call. With `objectParam`, a plain object is the
 * value itself unless its names are all keywords (see
 * {@linkcode PyArgsSpec.objectParams}).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { optionalArg } from "./py_args.ts";
 * equal(optionalArg("read", "amt", null, [5]), 5);
 * equal(optionalArg("read", "amt", null, [{ amt: 5 }]), 5);
 * equal(optionalArg("read", "amt", null, [undefined]), null);
 * ```
 */
export function optionalArg<T>(
  fn: string,
  name: string,
  fallback: T,
  args: readonly unknown[],
  objectParam = false,
): T {
  if (args.length === 0) return fallback;
  if (args.length === 1 && !isPlainObject(args[0])) {
    return args[0] === undefined ? fallback : args[0] as T;
  }
  return pyArgs({
    fn,
    names: [name],
    defaults: { [name]: fallback },
    ...(objectParam ? { objectParams: [name] } : {}),
  }, args)[name] as T;
}

/** Whether `object` has names, each a keyword `spec` accepts. */
function onlyKeywords<T extends object>(
  spec: PyArgsSpec<T>,
  object: Record<string, unknown>,
): boolean {
  const keys = Object.keys(object);
  return keys.length > 0 && keys.every((key) => accepts(spec, key));
}

function accepts<T extends object>(spec: PyArgsSpec<T>, name: string): boolean {
  const known: readonly string[] = spec.names;
  return known.includes(name) ||
    (spec.keywordOnly as readonly string[] | undefined)?.includes(name) ===
      true;
}

/**
 * Python's error for a call without its required arguments, `undefined`
 * standing for an argument not given: `urljoin("http://a/")` is
 * "urljoin() missing 1 required positional argument: 'url'".
 */
export function missingArguments(
  fn: string,
  names: readonly string[],
): TypeError {
  const quoted = names.map((name) => `'${name}'`);
  const list = quoted.length < 3
    ? quoted.join(" and ")
    : `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
  const s = quoted.length === 1 ? "" : "s";
  return new TypeError(
    `${fn}() missing ${quoted.length} required positional argument${s}: ${list}`,
  );
}
