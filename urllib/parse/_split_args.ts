/**
 * Argument resolution and str/bytes coercion shared by the split and join
 * functions, following Python's rule that one call is all-str or all-bytes
 * (an empty value of the other kind is tolerated).
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_coerce_args`.
 *
 * @module
 */

import { isPlainObject, pyArgs } from "../../_util/py_args.ts";
import { asciiDecode } from "./_split_codec.ts";

/**
 * Keyword options of `urlsplit` / `urlparse`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlsplit, type SplitOptions } from "@pyport/web/urllib/parse";
 * const options: SplitOptions = { scheme: "https", allow_fragments: false };
 * equal(urlsplit("//h/p#x", options).path, "/p#x");
 * ```
 */
export interface SplitOptions {
  /** The scheme to use when the URL has none (default `""`). */
  scheme?: string | Uint8Array | undefined;
  /** Whether to split off a `#fragment` (default `true`). */
  allow_fragments?: boolean | undefined;
}

/**
 * Keyword options of `urljoin`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { type JoinOptions, urljoin } from "@pyport/web/urllib/parse";
 * const options: JoinOptions = { allow_fragments: false };
 * equal(urljoin("http://h/a/b", "c#d", options), "http://h/a/c#d");
 * ```
 */
export interface JoinOptions {
  /** Whether to split off a `#fragment` (default `true`). */
  allow_fragments?: boolean | undefined;
}

/** Resolved optional arguments of `urlsplit` / `urlparse`. */
export interface SplitArgsResolved {
  scheme: unknown;
  allowFragments: boolean;
}

const SPLIT_SPECS = {
  urlsplit: {
    fn: "urlsplit",
    names: ["scheme", "allow_fragments"] as const,
    defaults: { scheme: "" as unknown, allow_fragments: true as unknown },
  },
  urlparse: {
    fn: "urlparse",
    names: ["scheme", "allow_fragments"] as const,
    defaults: { scheme: "" as unknown, allow_fragments: true as unknown },
  },
};

const JOIN_SPEC = {
  fn: "urljoin",
  names: ["allow_fragments"] as const,
  defaults: { allow_fragments: true as unknown },
};

function trimmed(args: unknown[]): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return n === args.length ? args : args.slice(0, n);
}

/** Resolves `(scheme, allow_fragments)` given positionally or as keywords. */
export function splitArgs(
  fn: "urlsplit" | "urlparse",
  a: unknown,
  b: unknown,
  c: unknown,
): SplitArgsResolved {
  // Positional-only calls are the hot path: skip the generic resolver.
  if (c === undefined && !isPlainObject(a) && !isPlainObject(b)) {
    return {
      scheme: a === undefined ? "" : a,
      allowFragments: b === undefined ? true : !!b,
    };
  }
  const r = pyArgs(SPLIT_SPECS[fn], trimmed([a, b, c]));
  return { scheme: r.scheme, allowFragments: !!r.allow_fragments };
}

/** Resolves `urljoin`'s `allow_fragments`. */
export function joinArgs(a: unknown, b: unknown): boolean {
  if (b === undefined && !isPlainObject(a)) return a === undefined ? true : !!a;
  return !!pyArgs(JOIN_SPEC, trimmed([a, b])).allow_fragments;
}

/** Thrown for a call with more arguments than Python's signature has. */
export function tooManyArguments(fn: string, given: number): never {
  throw new TypeError(
    `${fn}() takes at most 3 positional arguments and one options object (${given} given)`,
  );
}

/**
 * Refuses a call of a one-parameter function with more arguments, as
 * Python does (`urldefrag(url, False)` is an error there, not a no-op).
 */
export function onlyOneArgument(fn: string, given: number): void {
  if (given > 1) {
    throw new TypeError(
      `${fn}() takes 1 positional argument but ${given} were given`,
    );
  }
}

/** Python truthiness of a str/bytes argument. */
export function truthy(value: unknown): boolean {
  if (typeof value === "string") return value.length !== 0;
  if (value instanceof Uint8Array) return value.length !== 0;
  return !!value;
}

/** Thrown when a call mixes str and bytes arguments, as in Python. */
export function mixError(): TypeError {
  return new TypeError("Cannot mix str and non-str arguments");
}

/**
 * Turns an argument of a bytes call into text (strict ASCII); empty or
 * missing values become `""`.
 */
export function bytesArgText(value: unknown): string {
  if (value instanceof Uint8Array) return asciiDecode(value);
  if (value === "" || value === null || value === undefined) return "";
  if (typeof value === "string") throw mixError();
  throw new TypeError(
    `expected str or a Uint8Array, got ${describe(value)}`,
  );
}

/** Checks an argument of a str call; empty bytes or null become `""`. */
export function strArgText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (value instanceof Uint8Array) {
    if (value.length === 0) return "";
    throw mixError();
  }
  throw new TypeError(
    `expected str or a Uint8Array, got ${describe(value)}`,
  );
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
