/**
 * Query strings as Python's `urllib.parse` handles them: `parse_qsl`,
 * `parse_qs` and `urlencode`.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `parse_qs`, `parse_qsl` and
 * `urlencode`.
 *
 * @module
 */
import { decodeBytes, encodeText } from "../../_util/codec/mod.ts";
import { latin1Decode } from "../../_util/latin1.ts";
import {
  isPlainObject,
  missingArguments,
  type MixedArgs,
  pyArgs,
} from "../../_util/py_args.ts";
import { quotePlusImpl, unquoteBytes, unquoteImpl } from "./_quote_impl.ts";
import { pyStr, reprBytes, reprStr } from "../../_util/py_repr.ts";
import { typeName } from "../../_util/py_type_name.ts";
import { quote_plus } from "./quote.ts";

/** Keyword options of {@linkcode parse_qsl} and {@linkcode parse_qs}. */
export interface ParseQsOptions {
  /** Keep fields with empty values (`a=` or a bare `a`) as `""`. */
  keep_blank_values?: boolean;
  /** Throw `TypeError` for a field without `=` instead of skipping it. */
  strict_parsing?: boolean;
  /** Encoding of the percent-encoded bytes (default `"utf-8"`); str input only. */
  encoding?: string;
  /** Error handler for undecodable bytes (default `"replace"`); str input only. */
  errors?: string;
  /** Most fields allowed; more throw `RangeError`. `null`: no limit. */
  max_num_fields?: number | null;
  /** What separates fields (default `"&"`). */
  separator?: string | Uint8Array;
}

/**
 * The optional arguments of {@linkcode parse_qs} and {@linkcode parse_qsl}
 * given partly by position, the rest by keyword:
 * `parse_qs(qs, true, false, { separator: ";" })`.
 */
export type ParseQsArgs = MixedArgs<
  [
    keep_blank_values?: boolean,
    strict_parsing?: boolean,
    encoding?: string,
    errors?: string,
    max_num_fields?: number | null,
    separator?: string | Uint8Array,
  ],
  ParseQsOptions,
  [
    "keep_blank_values",
    "strict_parsing",
    "encoding",
    "errors",
    "max_num_fields",
    "separator",
  ]
>;

/**
 * The `parse_qs` result for bytes input: a `Map` from name bytes to the list
 * of value bytes, in first-seen order. Keys compare by content, so
 * `map.get(new TextEncoder().encode("a"))` finds the entry for `b"a"`.
 * `K` is the type of the keys stored: `parse_qs` stores
 * `Uint8Array<ArrayBuffer>` ones, which go to `crypto.subtle`, `Blob` and
 * `Response` as they are.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { BytesKeyMap } from "@pyport/web/urllib/parse";
 * const map = new BytesKeyMap<number>();
 * map.set(new Uint8Array([97]), 1);
 * map.set(new Uint8Array([97]), 2);
 * deepEqual([map.size, map.get(new Uint8Array([97]))], [1, 2]);
 * ```
 */
export class BytesKeyMap<V, K extends Uint8Array = Uint8Array>
  extends Map<K, V> {
  #keys = new Map<string, K>();

  /** Creates a map, optionally from `[bytes, value]` entries. */
  constructor(entries?: Iterable<readonly [K, V]> | null) {
    super();
    for (const [k, v] of entries ?? []) this.set(k, v);
  }

  /** The value stored under bytes equal to `key`. */
  override get(key: Uint8Array): V | undefined {
    const stored = this.#keys.get(contentKey(key));
    return stored === undefined ? undefined : super.get(stored);
  }

  /** Whether bytes equal to `key` are stored. */
  override has(key: Uint8Array): boolean {
    return this.#keys.has(contentKey(key));
  }

  /** Stores `value` under `key`, replacing the value of equal bytes. */
  override set(key: K, value: V): this {
    const id = contentKey(key);
    const stored = this.#keys.get(id);
    if (stored === undefined) this.#keys.set(id, key);
    return super.set(stored ?? key, value);
  }

  /** Removes the entry for bytes equal to `key`. */
  override delete(key: Uint8Array): boolean {
    const id = contentKey(key);
    const stored = this.#keys.get(id);
    if (stored === undefined) return false;
    this.#keys.delete(id);
    return super.delete(stored);
  }

  /** Removes every entry. */
  override clear(): void {
    this.#keys.clear();
    super.clear();
  }
}

function contentKey(key: Uint8Array): string {
  if (!(key instanceof Uint8Array)) {
    throw new TypeError(`BytesKeyMap keys must be bytes, not ${typeName(key)}`);
  }
  return latin1Decode(key);
}

// ---------------------------------------------------------------------------
// parse_qsl / parse_qs

const PARSE_QS_SPEC = {
  fn: "parse_qsl",
  names: [
    "keep_blank_values",
    "strict_parsing",
    "encoding",
    "errors",
    "max_num_fields",
    "separator",
  ] as const,
  defaults: {
    keep_blank_values: false as unknown,
    strict_parsing: false as unknown,
    encoding: "utf-8" as unknown,
    errors: "replace" as unknown,
    max_num_fields: null as unknown,
    separator: "&" as unknown,
  },
};

type ParseQsSettings = typeof PARSE_QS_SPEC.defaults;

/** Python truthiness: flags arrive as 0/1, and empty containers are false. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Uint8Array) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function checkMaxFields(max: unknown, fields: number): void {
  if (max === null || max === undefined) return;
  if (typeof max !== "number" && typeof max !== "boolean") {
    throw new TypeError(
      `'<' not supported between instances of '${typeName(max)}' and 'int'`,
    );
  }
  if (Number(max) < fields) {
    throw new RangeError("Max number of fields exceeded");
  }
}

function parseText(
  qs: string,
  separator: unknown,
  a: ParseQsSettings,
): [string, string][] {
  const sep = typeof separator === "string"
    ? separator
    : decodeBytes(separator as Uint8Array, "ascii", "strict");
  if (!qs) return [];
  const fields = qs.split(sep);
  checkMaxFields(a.max_num_fields, fields.length);
  const strict = truthy(a.strict_parsing);
  const keepBlank = truthy(a.keep_blank_values);
  const { encoding, errors } = a;
  const out: [string, string][] = [];
  for (const field of fields) {
    if (!field && !strict) continue;
    const eq = field.indexOf("=");
    if (eq < 0 && strict) {
      throw new TypeError(`bad query field: ${reprStr(field)}`);
    }
    const value = eq < 0 ? "" : field.slice(eq + 1);
    if (!value && !keepBlank) continue;
    const name = eq < 0 ? field : field.slice(0, eq);
    out.push([
      unquotePlusText(name, encoding, errors),
      unquotePlusText(value, encoding, errors),
    ]);
  }
  return out;
}

function unquotePlusText(
  text: string,
  encoding: unknown,
  errors: unknown,
): string {
  if (!text) return text;
  const spaced = text.includes("+") ? text.replaceAll("+", " ") : text;
  return unquoteImpl(spaced, encoding, errors);
}

function splitBytes(bytes: Uint8Array, sep: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  const first = sep[0] as number;
  outer: for (let i = 0; i <= bytes.length - sep.length; i++) {
    if (bytes[i] !== first) continue;
    for (let k = 1; k < sep.length; k++) {
      if (bytes[i + k] !== sep[k]) continue outer;
    }
    out.push(bytes.subarray(start, i));
    start = i + sep.length;
    i = start - 1;
  }
  out.push(bytes.subarray(start));
  return out;
}

function unquotePlusBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const spaced = bytes.map((b) => (b === 0x2b ? 0x20 : b));
  return unquoteBytes(spaced);
}

function parseBytes(
  qs: Uint8Array,
  separator: unknown,
  a: ParseQsSettings,
): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] {
  const sep = separator instanceof Uint8Array
    ? separator
    : encodeText(separator as string, "ascii", "strict");
  const fields = splitBytes(qs, sep);
  checkMaxFields(a.max_num_fields, fields.length);
  const strict = truthy(a.strict_parsing);
  const keepBlank = truthy(a.keep_blank_values);
  const out: [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] = [];
  for (const field of fields) {
    if (field.length === 0 && !strict) continue;
    const eq = field.indexOf(0x3d);
    if (eq < 0 && strict) {
      throw new TypeError(`bad query field: ${reprBytes(field)}`);
    }
    const value = eq < 0 ? new Uint8Array(0) : field.subarray(eq + 1);
    if (value.length === 0 && !keepBlank) continue;
    const name = eq < 0 ? field : field.subarray(0, eq);
    out.push([unquotePlusBytes(name), unquotePlusBytes(value)]);
  }
  return out;
}

function parseQslImpl(
  qs: unknown,
  args: readonly unknown[],
  fn: string,
): [string, string][] | [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] {
  const a = args.length === 0
    ? PARSE_QS_SPEC.defaults
    : pyArgs({ ...PARSE_QS_SPEC, fn }, args);
  const { separator } = a;
  if (
    !(typeof separator === "string" || separator instanceof Uint8Array) ||
    separator.length === 0
  ) {
    throw new TypeError("Separator must be of type string or bytes.");
  }
  if (typeof qs === "string") return parseText(qs, separator, a);
  if (qs === undefined) throw missingArguments(fn, ["qs"]);
  if (!truthy(qs)) return [];
  if (!(qs instanceof Uint8Array)) {
    throw new TypeError(
      `memoryview: a bytes-like object is required, not '${typeName(qs)}'`,
    );
  }
  return parseBytes(qs, separator, a);
}

/**
 * Python's `parse_qsl`: splits a query string into `[name, value]` pairs,
 * in order, decoding `+` and `%XX`. Bytes in, bytes out (`encoding` and
 * `errors` then do not apply). A field without `=` counts as a blank value.
 *
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { parse_qsl } from "@pyport/web/urllib/parse";
 * deepEqual(parse_qsl("a=1&b=x+y&a=%C3%A9&c="), [["a", "1"], ["b", "x y"], ["a", "é"]]);
 * deepEqual(parse_qsl("a=1&c=", true), [["a", "1"], ["c", ""]]);
 * deepEqual(parse_qsl("a=1;b=2", { separator: ";" }), [["a", "1"], ["b", "2"]]);
 * throws(() => parse_qsl("a=1&b=2", { max_num_fields: 1 }), RangeError);
 * throws(() => parse_qsl("a&b=2", { strict_parsing: true }), TypeError);
 * ```
 */
export function parse_qsl(
  qs: string | null,
  keep_blank_values?: boolean,
  strict_parsing?: boolean,
  encoding?: string,
  errors?: string,
  max_num_fields?: number | null,
  separator?: string | Uint8Array,
): [string, string][];
/** Python's `parse_qsl` with keyword options. */
export function parse_qsl(
  qs: string | null,
  options: ParseQsOptions,
): [string, string][];
/**
 * Python's `parse_qsl` with some arguments by position and the rest as
 * keywords: `parse_qsl(qs, true, false, { separator: ";" })`.
 */
export function parse_qsl(
  qs: string | null,
  ...args: ParseQsArgs
): [string, string][];
/** Python's `parse_qsl` on bytes: bytes pairs. */
export function parse_qsl(
  qs: Uint8Array,
  keep_blank_values?: boolean,
  strict_parsing?: boolean,
  encoding?: string,
  errors?: string,
  max_num_fields?: number | null,
  separator?: string | Uint8Array,
): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][];
/** Python's `parse_qsl` on bytes with keyword options. */
export function parse_qsl(
  qs: Uint8Array,
  options: ParseQsOptions,
): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][];
/** Python's `parse_qsl` on bytes, some arguments by position, the rest as keywords. */
export function parse_qsl(
  qs: Uint8Array,
  ...args: ParseQsArgs
): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][];
export function parse_qsl(
  qs: string | Uint8Array | null,
  ...args: unknown[]
): [string, string][] | [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>][] {
  return parseQslImpl(qs, args, "parse_qsl");
}

/**
 * Python's `parse_qs`: like {@linkcode parse_qsl} but gathers the values of
 * each name into a list. For str input the result is an object with a
 * **null prototype**, so names such as `__proto__` or `constructor` are plain
 * data. For bytes input it is a {@linkcode BytesKeyMap}.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { parse_qs } from "@pyport/web/urllib/parse";
 * const q = parse_qs("a=1&b=2&a=3&__proto__=x");
 * deepEqual(q["a"], ["1", "3"]);
 * deepEqual(q["__proto__"], ["x"]);
 * equal(Object.getPrototypeOf(q), null);
 * const b = parse_qs(new TextEncoder().encode("k=v&k=w"));
 * deepEqual(b.get(new TextEncoder().encode("k"))?.length, 2);
 * ```
 */
export function parse_qs(
  qs: string | null,
  keep_blank_values?: boolean,
  strict_parsing?: boolean,
  encoding?: string,
  errors?: string,
  max_num_fields?: number | null,
  separator?: string | Uint8Array,
): Record<string, string[]>;
/** Python's `parse_qs` with keyword options. */
export function parse_qs(
  qs: string | null,
  options: ParseQsOptions,
): Record<string, string[]>;
/**
 * Python's `parse_qs` with some arguments by position and the rest as
 * keywords: `parse_qs(qs, true, false, { separator: ";" })`.
 */
export function parse_qs(
  qs: string | null,
  ...args: ParseQsArgs
): Record<string, string[]>;
/** Python's `parse_qs` on bytes: a map from name bytes to value bytes. */
export function parse_qs(
  qs: Uint8Array,
  keep_blank_values?: boolean,
  strict_parsing?: boolean,
  encoding?: string,
  errors?: string,
  max_num_fields?: number | null,
  separator?: string | Uint8Array,
): BytesKeyMap<Uint8Array<ArrayBuffer>[], Uint8Array<ArrayBuffer>>;
/** Python's `parse_qs` on bytes with keyword options. */
export function parse_qs(
  qs: Uint8Array,
  options: ParseQsOptions,
): BytesKeyMap<Uint8Array<ArrayBuffer>[], Uint8Array<ArrayBuffer>>;
/** Python's `parse_qs` on bytes, some arguments by position, the rest as keywords. */
export function parse_qs(
  qs: Uint8Array,
  ...args: ParseQsArgs
): BytesKeyMap<Uint8Array<ArrayBuffer>[], Uint8Array<ArrayBuffer>>;
export function parse_qs(
  qs: string | Uint8Array | null,
  ...args: unknown[]
):
  | Record<string, string[]>
  | BytesKeyMap<Uint8Array<ArrayBuffer>[], Uint8Array<ArrayBuffer>> {
  const pairs = parseQslImpl(qs, args, "parse_qs");
  if (qs instanceof Uint8Array) {
    const map = new BytesKeyMap<
      Uint8Array<ArrayBuffer>[],
      Uint8Array<ArrayBuffer>
    >();
    for (
      const [name, value] of pairs as [
        Uint8Array<ArrayBuffer>,
        Uint8Array<ArrayBuffer>,
      ][]
    ) {
      const list = map.get(name);
      if (list) list.push(value);
      else map.set(name, [value]);
    }
    return map;
  }
  const result = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of pairs as [string, string][]) {
    // Own-property check: with a null prototype nothing is inherited, and
    // `in`/indexing never reaches Object.prototype.
    const list = Object.hasOwn(result, name) ? result[name] : undefined;
    if (list) list.push(value);
    else result[name] = [value];
  }
  return result;
}

// ---------------------------------------------------------------------------
// urlencode

/** What {@linkcode urlencode} accepts as `quote_via`. */
export type QuoteVia = (
  string: string | Uint8Array,
  safe: string | Uint8Array,
  encoding?: string | null,
  errors?: string | null,
) => string;

/** Keyword options of {@linkcode urlencode}. */
export interface UrlencodeOptions {
  /** Expand array and Set values into one field per element (a `Map` or plain object: per key). */
  doseq?: boolean;
  /** Passed to `quote_via`: characters left unquoted. */
  safe?: string | Uint8Array;
  /** Passed to `quote_via` for str components. */
  encoding?: string | null;
  /** Passed to `quote_via` for str components. */
  errors?: string | null;
  /** The quoting function (default {@linkcode quote_plus}). */
  quote_via?: QuoteVia;
}

/** A query for {@linkcode urlencode}: an object, a `Map` or `[name, value]` pairs. */
export type UrlencodeQuery =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<unknown, unknown>
  | readonly (readonly unknown[])[];

const URLENCODE_SPEC = {
  fn: "urlencode",
  names: ["doseq", "safe", "encoding", "errors", "quote_via"] as const,
  defaults: {
    doseq: false as unknown,
    safe: "" as unknown,
    encoding: null as unknown,
    errors: null as unknown,
    quote_via: quote_plus as unknown,
  },
};

const NOT_A_QUERY = "not a valid non-string sequence or mapping object";

function queryPairs(query: unknown): Iterable<readonly unknown[]> {
  if (query instanceof Map) return query.entries();
  // Python refuses a sequence by its first item: an empty str or bytes has
  // none, and encodes to "".
  if (
    (typeof query === "string" || query instanceof Uint8Array) &&
    query.length === 0
  ) {
    return [];
  }
  if (isPlainObject(query)) return Object.entries(query);
  if (Array.isArray(query)) {
    if (query.length > 0 && !Array.isArray(query[0])) {
      throw new TypeError(NOT_A_QUERY);
    }
    return query as unknown[][];
  }
  throw new TypeError(NOT_A_QUERY);
}

/**
 * `key, value = pair` in Python: any iterable of two items unpacks (a
 * two-character string, two bytes, a `Set`), not only an array.
 */
function unpackPair(given: unknown): [unknown, unknown] {
  const pair = Array.isArray(given) ? given : itemsOf(given);
  if (pair === null) {
    throw new TypeError(
      `cannot unpack non-iterable ${typeName(given)} object`,
    );
  }
  if (pair.length !== 2) {
    throw new TypeError(
      pair.length > 2
        ? "too many values to unpack (expected 2)"
        : `not enough values to unpack (expected 2, got ${pair.length})`,
    );
  }
  return [pair[0], pair[1]];
}

/** The items of an iterable (a string's code points), or `null`. */
function itemsOf(value: unknown): unknown[] | null {
  if (typeof value === "string") return Array.from(value);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value instanceof Map) return Array.from(value.keys());
  const iterable = value as Iterable<unknown> | null | undefined;
  return typeof iterable?.[Symbol.iterator] === "function"
    ? Array.from(iterable)
    : null;
}

/** The elements `doseq` expands, or null for a scalar (Python: no `len()`). */
function sequenceItems(value: unknown): Iterable<unknown> | null {
  if (Array.isArray(value) || value instanceof Set) return value;
  if (value instanceof Map) return value.keys();
  if (isPlainObject(value)) return Object.keys(value);
  return null;
}

/**
 * Python's `urlencode`: turns an object, a `Map` or an array of
 * `[name, value]` pairs into `name=value&...`, quoting with `quote_via`
 * (default {@linkcode quote_plus}). Non-string values go through Python's
 * `str()`: `1` -> `1`, `true` -> `True`, `null`/`undefined` -> `None`,
 * arrays -> `['a', 'b']`; bytes are quoted as bytes. With `doseq`, array
 * and Set values give one field per element, and a `Map` or plain object
 * one per key, as a Python dict does.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { quote, urlencode } from "@pyport/web/urllib/parse";
 * equal(urlencode({ q: "a b", n: 1, ok: true }), "q=a+b&n=1&ok=True");
 * equal(urlencode([["k", "v"], ["k", "w"]]), "k=v&k=w");
 * equal(urlencode({ k: ["v", "w"] }, true), "k=v&k=w");
 * equal(urlencode({ k: { v: 1, w: 2 } }, true), "k=v&k=w");
 * equal(urlencode({ p: "a b/c" }, { quote_via: quote, safe: "/" }), "p=a%20b/c");
 * ```
 */
export function urlencode(
  query: UrlencodeQuery,
  doseq?: boolean,
  safe?: string | Uint8Array,
  encoding?: string | null,
  errors?: string | null,
  quote_via?: QuoteVia,
): string;
/** Python's `urlencode` with keyword options. */
export function urlencode(
  query: UrlencodeQuery,
  options: UrlencodeOptions,
): string;
/**
 * Python's `urlencode` with some arguments by position and the rest as
 * keywords: `urlencode(query, true, "", "utf-8", { quote_via: quote })`.
 */
export function urlencode(
  query: UrlencodeQuery,
  ...args: MixedArgs<
    [
      doseq?: boolean,
      safe?: string | Uint8Array,
      encoding?: string | null,
      errors?: string | null,
      quote_via?: QuoteVia,
    ],
    UrlencodeOptions,
    ["doseq", "safe", "encoding", "errors", "quote_via"]
  >
): string;
export function urlencode(query: UrlencodeQuery, ...args: unknown[]): string {
  if (query === undefined) throw missingArguments("urlencode", ["query"]);
  const a = args.length === 0
    ? URLENCODE_SPEC.defaults
    : pyArgs(URLENCODE_SPEC, args);
  const { safe, encoding, errors } = a;
  const quoteVia = a.quote_via;
  if (typeof quoteVia !== "function") {
    throw new TypeError(`'${typeName(quoteVia)}' object is not callable`);
  }
  // The built-in quoters skip argument parsing; others get Python's calls.
  const fast = quoteVia === quote_plus;
  const quoteOne = (item: unknown): string => {
    if (item instanceof Uint8Array) {
      return fast
        ? quotePlusImpl(item, safe, null, null)
        : quoteVia(item, safe);
    }
    const text = pyStr(item);
    return fast
      ? quotePlusImpl(text, safe, encoding, errors)
      : quoteVia(text, safe, encoding, errors);
  };
  const doseq = truthy(a.doseq);
  const parts: string[] = [];
  for (const pair of queryPairs(query)) {
    const [k, v] = unpackPair(pair);
    const name = quoteOne(k);
    const items = doseq && typeof v !== "string" && !(v instanceof Uint8Array)
      ? sequenceItems(v)
      : null;
    if (items === null) {
      parts.push(name + "=" + quoteOne(v));
    } else {
      for (const item of items) parts.push(name + "=" + quoteOne(item));
    }
  }
  return parts.join("&");
}
