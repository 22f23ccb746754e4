/**
 * The named-tuple results of `urlsplit`, `urlparse` and `urldefrag`, with
 * Python's field names, tuple-style indexing and iteration, and the derived
 * `username` / `password` / `hostname` / `port` properties.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py` (the result classes): each
 * concern is written once, in a base class generic over the field type
 * (`string` for str results, `Uint8Array` for bytes results):
 * {@linkcode _ResultBase} the tuple behaviour, {@linkcode _NetlocResultMixinBase}
 * the netloc attributes, and {@linkcode _SplitResultBase},
 * {@linkcode _ParseResultBase} and {@linkcode _DefragResultBase} the fields
 * of each kind. The six public classes only pick the field type and the
 * twin; `pairTwins` gives str results their `encode` and bytes results
 * their `decode`, as Python pairs them in `_fix_result_transcoding`.
 *
 * @module
 */

import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import {
  asDict,
  checkAllGiven,
  type FieldsConstructor,
  fieldsOf,
  makeTuple,
  replaceFields,
  tupleFields,
  tupleRepr,
  valuesOf,
} from "../../_util/named_tuple.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { decodeBytes, encodeText } from "../../_util/codec/mod.ts";
import { hostInfo, lowerHostname, portNumber, userInfo } from "./_netloc.ts";
import { latin1Decode, latin1Encode } from "../../_util/latin1.ts";
import { unparseText, unsplitText } from "./_split_core.ts";
import { asciiDecode } from "./_split_codec.ts";
import { checkText } from "./_quote_impl.ts";
import { bytesArgText, strArgText } from "./_split_args.ts";

/** What a result field is: `string` in str results, `Uint8Array` in bytes results. */
type Field = string | Uint8Array;

/**
 * The fields of a {@linkcode SplitResult} (or, with `T = Uint8Array`, of a
 * {@linkcode SplitResultBytes}).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { type SplitResultFields, urlsplit } from "@pyport/web/urllib/parse";
 * const fields: SplitResultFields = urlsplit("http://h/p")._asdict();
 * deepEqual(fields, { scheme: "http", netloc: "h", path: "/p", query: "", fragment: "" });
 * ```
 */
export interface SplitResultFields<T = string> {
  /** The URL scheme, lower-cased (`"http"`). */
  scheme: T;
  /** The network location: `user:password@host:port`. */
  netloc: T;
  /** The hierarchical path. */
  path: T;
  /** The query, without its `?`. */
  query: T;
  /** The fragment identifier, without its `#`. */
  fragment: T;
}

/**
 * The fields of a {@linkcode ParseResult} (or of a
 * {@linkcode ParseResultBytes}).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { type ParseResultFields, urlparse } from "@pyport/web/urllib/parse";
 * const fields: ParseResultFields = urlparse("http://h/p;a")._asdict();
 * equal(fields.params, "a");
 * ```
 */
export interface ParseResultFields<T = string> extends SplitResultFields<T> {
  /** The parameters of the last path segment, without their `;`. */
  params: T;
}

/**
 * The fields of a {@linkcode DefragResult} (or of a
 * {@linkcode DefragResultBytes}).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { type DefragResultFields, urldefrag } from "@pyport/web/urllib/parse";
 * const fields: DefragResultFields = urldefrag("a#b")._asdict();
 * equal(fields.fragment, "b");
 * ```
 */
export interface DefragResultFields<T = string> {
  /** The URL without its fragment. */
  url: T;
  /** The fragment identifier, without its `#`. */
  fragment: T;
}

/**
 * Optional arguments of `encode()` / `decode()` given as keywords.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { type CodecOptions, urlsplit } from "@pyport/web/urllib/parse";
 * const options: CodecOptions = { encoding: "utf-8" };
 * equal(urlsplit("http://h/\u00e9").encode(options).path.length, 3);
 * ```
 */
export interface CodecOptions {
  /** A codec name, as Python's (default `"ascii"`). */
  encoding?: string | undefined;
  /** An error handler name (default `"strict"`). */
  errors?: string | undefined;
}

/**
 * The `encode` of a str result and the `decode` of a bytes result: its twin
 * of the other type, each field encoded or decoded (default ASCII, strict).
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("http://h/\u00e9");
 * deepEqual(r.encode("utf-8").path, new TextEncoder().encode("/\u00e9"));
 * deepEqual(r.encode({ encoding: "latin-1" }).path, new Uint8Array([0x2f, 0xe9]));
 * equal(r.encode("utf-8").decode("utf-8").path, "/\u00e9");
 * ```
 */
export interface Transcode<R> {
  /** The twin, with Python's positional `encoding` and `errors`. */
  (encoding?: string, errors?: string): R;
  /** The twin, with keyword options. */
  (options: CodecOptions): R;
  /** The twin, with `encoding` by position and `errors` as a keyword. */
  (
    ...args: MixedArgs<
      [encoding?: string, errors?: string],
      CodecOptions,
      ["encoding", "errors"]
    >
  ): R;
}

const CODEC_NAMES = ["encoding", "errors"] as const;
const CODEC_DEFAULTS = { encoding: "ascii", errors: "strict" };

/** The text a field stands for: a bytes field read as Latin-1, losslessly. */
function textOf(field: Field): string {
  return typeof field === "string" ? field : latin1Decode(field);
}

/** `text` as a field of the same type as `like` (null stays null). */
function sameType<T extends Field>(like: T, text: string | null): T | null {
  if (text === null || typeof like === "string") return text as T | null;
  return latin1Encode(text) as T;
}

/**
 * What `geturl` gives: `join` applied to the fields of `result` as text, in
 * the fields' type. Bytes are read as `decode` says: strict ASCII where
 * Python's `geturl` goes through `urlunsplit` / `urlunparse` (which decode
 * their arguments so), Latin-1 (every byte kept) where it joins bytes as
 * they are.
 */
function rejoined<T extends string | Uint8Array>(
  result: Iterable<T>,
  join: (...texts: string[]) => string,
  decode: (bytes: Uint8Array) => string,
): T {
  // Fields set by `_replace` may be of the other type: the first decides,
  // and another non-empty one is Python's mixing error.
  const values: unknown[] = valuesOf(result);
  if (typeof values[0] === "string") {
    return join(...values.map(strArgText)) as T;
  }
  const texts = values.map((value) =>
    value instanceof Uint8Array ? decode(value) : bytesArgText(value)
  );
  return latin1Encode(join(...texts)) as T;
}

/** A defragmented URL with its fragment put back (when it is not empty). */
function defragJoin(url: string, fragment: string): string {
  return fragment !== "" ? url + "#" + fragment : url;
}

/**
 * The twin of class `ctor`: each field of `result` passed through `convert`
 * (`str.encode` or `bytes.decode`) with the `encoding` and `errors` that
 * `args` give Python's method `fn`.
 */
function transcoded<V, W, R>(
  result: Iterable<V>,
  ctor: FieldsConstructor<W, R>,
  fn: "encode" | "decode",
  convert: (value: V, encoding: string, errors: string) => W,
  args: readonly unknown[],
): R {
  const spec = { fn, names: CODEC_NAMES, defaults: CODEC_DEFAULTS };
  const { encoding, errors } = pyArgs(spec, args);
  checkText(encoding, "encoding", fn);
  checkText(errors, "errors", fn);
  return new ctor(
    ...valuesOf<V>(result).map((v) => convert(v, encoding, errors)),
  );
}

/**
 * What every result shares, as Python's named tuples do: the fields as a
 * tuple (`r[0]`, `r.length`, `[...r]`), `_make`, `_replace`, `_asdict` and
 * Python's `repr`. `T` is the field type, `F` the named fields and `W` the
 * twin class of the other field type.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { _ResultBase, urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("http://h/p");
 * equal(r instanceof _ResultBase, true);
 * equal(r._replace({ path: "/q" })[2], "/q");
 * ```
 */
export abstract class _ResultBase<
  T extends string | Uint8Array,
  F extends object,
  W,
> implements Iterable<T> {
  /** The number of fields, as the tuple's `len()`. */
  declare readonly length: number;
  /**
   * Python's `encode`, on str results only: the bytes twin `W`, each field
   * encoded (default ASCII, strict).
   */
  declare encode: T extends string ? Transcode<W> : undefined;
  /**
   * Python's `decode`, on bytes results only: the str twin `W`, each field
   * decoded (default ASCII, strict).
   */
  declare decode: T extends string ? undefined : Transcode<W>;

  /**
   * Builds a result of this class from any iterable of its fields, in
   * tuple order.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { DefragResult, SplitResult } from "@pyport/web/urllib/parse";
   * equal(SplitResult._make(["http", "h", "/", "", ""]).geturl(), "http://h/");
   * equal(DefragResult._make(["http://h/", "x"]).geturl(), "http://h/#x");
   * ```
   */
  static _make<T, R>(
    this: FieldsConstructor<T, R>,
    iterable: Iterable<T>,
  ): R {
    return makeTuple(this, iterable);
  }

  /** Iterates the fields in tuple order. */
  [Symbol.iterator](): Iterator<T> {
    return valuesOf<T>(this)[Symbol.iterator]();
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urldefrag, urlparse, urlsplit } from "@pyport/web/urllib/parse";
   * equal(urlsplit("http://a/b")._replace({ scheme: "https" }).geturl(), "https://a/b");
   * equal(urlparse("http://a/b")._replace({ params: "x" }).geturl(), "http://a/b;x");
   * equal(urldefrag("http://h/#a")._replace({ fragment: "b" }).geturl(), "http://h/#b");
   * ```
   */
  _replace(changes: Partial<F>): this {
    return replaceFields(this, changes);
  }

  /**
   * The field names in tuple order, as on the class (Python's
   * `r._fields`).
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { urldefrag } from "@pyport/web/urllib/parse";
   * deepEqual(urldefrag("a#b")._fields, ["url", "fragment"]);
   * ```
   */
  get _fields(): readonly string[] {
    return fieldsOf(this.constructor);
  }

  /** The fields as a plain object. */
  _asdict(): F {
    return asDict(this);
  }

  /** Python's `repr`: `SplitResult(scheme='http', netloc='h', …)`. */
  toString(): string {
    return tupleRepr(this);
  }

  /** The URL put back together (`urlunsplit`, `urlunparse` or the fragment rejoined). */
  abstract geturl(): T;
}

/**
 * What split and parse results share: the attributes Python derives from
 * the netloc, and the fields both have (a parse result adds `params`).
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("https://User:pw@Example.COM:8080/a");
 * equal(r.username, "User");
 * equal(r.password, "pw");
 * equal(r.hostname, "example.com");
 * equal(r.port, 8080);
 * deepEqual(urlsplit(new TextEncoder().encode("//H:81")).hostname, new Uint8Array([0x68]));
 * ```
 */
export abstract class _NetlocResultMixinBase<
  T extends string | Uint8Array,
  F extends SplitResultFields<T>,
  W,
> extends _ResultBase<T, F, W> implements SplitResultFields<T> {
  /** The URL scheme. */
  declare readonly scheme: T;
  /** The network location. */
  declare readonly netloc: T;
  /** The path. */
  declare readonly path: T;
  /** The query, without `?`. */
  declare readonly query: T;
  /** The fragment, without `#`. */
  declare readonly fragment: T;
  /** Same as `scheme`. */
  declare readonly 0: T;
  /** Same as `netloc`. */
  declare readonly 1: T;
  /** Same as `path`. */
  declare readonly 2: T;

  /** The user name in the netloc, or null when there is no `@`. */
  get username(): T | null {
    return sameType(this.netloc, userInfo(textOf(this.netloc))[0]);
  }

  /** The password in the netloc, or null when there is none. */
  get password(): T | null {
    return sameType(this.netloc, userInfo(textOf(this.netloc))[1]);
  }

  /**
   * The host, lower-cased (an IPv6 zone id keeps its case; bytes are
   * lower-cased in ASCII only), or null.
   */
  get hostname(): T | null {
    const host = hostInfo(textOf(this.netloc))[0];
    if (host === "") return null;
    const bytes = typeof this.netloc !== "string";
    return sameType(this.netloc, lowerHostname(host, bytes));
  }

  /**
   * The port as a number, or null. Throws TypeError for a non-numeric port
   * and RangeError outside 0-65535, as Python raises ValueError.
   */
  get port(): number | null {
    const port = hostInfo(textOf(this.netloc))[1];
    if (port === null) return null;
    return portNumber(port, pyRepr(sameType(this.netloc, port)));
  }
}

/**
 * Sets the fields of a split or parse result in Python's order, where the
 * netloc base declares them; `params` is null for a split result.
 */
function setFields<T>(
  result: Partial<ParseResultFields<T>>,
  scheme: T,
  netloc: T,
  path: T,
  params: T | null,
  query: T,
  fragment: T,
): void {
  result.scheme = scheme;
  result.netloc = netloc;
  result.path = path;
  if (params !== null) result.params = params;
  result.query = query;
  result.fragment = fragment;
}

const SPLIT_FIELDS = ["scheme", "netloc", "path", "query", "fragment"] as const;
const PARSE_FIELDS = [
  "scheme",
  "netloc",
  "path",
  "params",
  "query",
  "fragment",
] as const;
const DEFRAG_FIELDS = ["url", "fragment"] as const;

/**
 * The two fields of {@linkcode DefragResult} and
 * {@linkcode DefragResultBytes}, as Python's `_DefragResultBase` named
 * tuple.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urldefrag } from "@pyport/web/urllib/parse";
 * const r = urldefrag("http://h/p#top");
 * equal(r[1], "top");
 * equal(r.length, 2);
 * ```
 */
export abstract class _DefragResultBase<T extends string | Uint8Array, W>
  extends _ResultBase<T, DefragResultFields<T>, W>
  implements DefragResultFields<T> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = tupleFields(this, DEFRAG_FIELDS);
  /** The URL without its fragment. */
  readonly url: T;
  /** The fragment, without `#`. */
  readonly fragment: T;
  /** Same as `url`. */
  declare readonly 0: T;
  /** Same as `fragment`. */
  declare readonly 1: T;
  /** Always 2, as the tuple's `len()`. */
  declare readonly length: 2;

  /** Builds a result from its two fields. */
  constructor(url: T, fragment: T) {
    super();
    checkAllGiven(this, [url, fragment]);
    this.url = url;
    this.fragment = fragment;
  }

  /** The URL with its fragment put back (when it is not empty). */
  geturl(): T {
    return rejoined(this, defragJoin, latin1Decode);
  }
}

/**
 * The five fields of {@linkcode SplitResult} and
 * {@linkcode SplitResultBytes}, as Python's `_SplitResultBase` named tuple.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("https://h/a?b#c");
 * equal(r[2], "/a");
 * deepEqual([...r], ["https", "h", "/a", "b", "c"]);
 * ```
 */
export abstract class _SplitResultBase<T extends string | Uint8Array, W>
  extends _NetlocResultMixinBase<T, SplitResultFields<T>, W> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = tupleFields(this, SPLIT_FIELDS);
  /** Same as `query`. */
  declare readonly 3: T;
  /** Same as `fragment`. */
  declare readonly 4: T;
  /** Always 5, as the tuple's `len()`. */
  declare readonly length: 5;

  /** Builds a result from its five fields. */
  constructor(scheme: T, netloc: T, path: T, query: T, fragment: T) {
    super();
    checkAllGiven(this, [scheme, netloc, path, query, fragment]);
    setFields(this, scheme, netloc, path, null, query, fragment);
  }

  /** The URL put back together by {@linkcode urlunsplit}. */
  geturl(): T {
    return rejoined(
      this,
      unsplitText as (...texts: string[]) => string,
      asciiDecode,
    );
  }
}

/**
 * The six fields of {@linkcode ParseResult} and
 * {@linkcode ParseResultBytes}, as Python's `_ParseResultBase` named tuple.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlparse } from "@pyport/web/urllib/parse";
 * const r = urlparse("http://[::1]:80/p;x=1?q");
 * equal(r[3], "x=1");
 * equal(r.length, 6);
 * ```
 */
export abstract class _ParseResultBase<T extends string | Uint8Array, W>
  extends _NetlocResultMixinBase<T, ParseResultFields<T>, W>
  implements ParseResultFields<T> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = tupleFields(this, PARSE_FIELDS);
  /** The last segment's parameters, without `;`. */
  declare readonly params: T;
  /** Same as `params`. */
  declare readonly 3: T;
  /** Same as `query`. */
  declare readonly 4: T;
  /** Same as `fragment`. */
  declare readonly 5: T;
  /** Always 6, as the tuple's `len()`. */
  declare readonly length: 6;

  /** Builds a result from its six fields. */
  constructor(
    scheme: T,
    netloc: T,
    path: T,
    params: T,
    query: T,
    fragment: T,
  ) {
    super();
    checkAllGiven(this, [scheme, netloc, path, params, query, fragment]);
    setFields(this, scheme, netloc, path, params, query, fragment);
  }

  /** The URL put back together by {@linkcode urlunparse}. */
  geturl(): T {
    return rejoined(
      this,
      unparseText as (...texts: string[]) => string,
      asciiDecode,
    );
  }
}

/**
 * The result of {@linkcode urlsplit} on a string: a 5-tuple
 * `(scheme, netloc, path, query, fragment)`.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const r = urlsplit("https://User:pw@Example.COM:8080/a?b#c");
 * equal(r.hostname, "example.com");
 * equal(r.port, 8080);
 * equal(r[2], "/a");
 * deepEqual([...r], ["https", "User:pw@Example.COM:8080", "/a", "b", "c"]);
 * equal(r.geturl(), "https://User:pw@Example.COM:8080/a?b#c");
 * ```
 */
export class SplitResult extends _SplitResultBase<string, SplitResultBytes> {}

/**
 * The result of {@linkcode urlsplit} on bytes: {@linkcode SplitResult}
 * with `Uint8Array` fields. `B` is their type: those of `urlsplit` are
 * `Uint8Array<ArrayBuffer>` (the default), which go to `crypto.subtle`,
 * `Blob` and `Response` as they are; one made with `new` has the type
 * of the bytes given.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { urlsplit } from "@pyport/web/urllib/parse";
 * const enc = new TextEncoder();
 * const r = urlsplit(enc.encode("http://H:81/x"));
 * deepEqual(r.hostname, enc.encode("h"));
 * equal(r.port, 81);
 * equal(r.decode().path, "/x");
 * ```
 */
export class SplitResultBytes<B extends Uint8Array = Uint8Array<ArrayBuffer>>
  extends _SplitResultBase<B, SplitResult> {}

/**
 * The result of {@linkcode urlparse} on a string: a 6-tuple
 * `(scheme, netloc, path, params, query, fragment)`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlparse } from "@pyport/web/urllib/parse";
 * const r = urlparse("http://[::1]:80/p;x=1?q");
 * equal(r.params, "x=1");
 * equal(r.hostname, "::1");
 * equal(r.length, 6);
 * equal(String(r), "ParseResult(scheme='http', netloc='[::1]:80', path='/p', params='x=1', query='q', fragment='')");
 * ```
 */
export class ParseResult extends _ParseResultBase<string, ParseResultBytes> {}

/**
 * The result of {@linkcode urlparse} on bytes: {@linkcode ParseResult}
 * with `Uint8Array` fields. `B` is their type: those of `urlparse` are
 * `Uint8Array<ArrayBuffer>` (the default), which go to `crypto.subtle`,
 * `Blob` and `Response` as they are; one made with `new` has the type
 * of the bytes given.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlparse } from "@pyport/web/urllib/parse";
 * const r = urlparse(new TextEncoder().encode("http://h/p;a"));
 * equal(new TextDecoder().decode(r.params), "a");
 * ```
 */
export class ParseResultBytes<B extends Uint8Array = Uint8Array<ArrayBuffer>>
  extends _ParseResultBase<B, ParseResult> {}

/**
 * The result of {@linkcode urldefrag} on a string: `(url, fragment)`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urldefrag } from "@pyport/web/urllib/parse";
 * const [url, fragment] = urldefrag("http://h/p#top");
 * equal(url, "http://h/p");
 * equal(fragment, "top");
 * ```
 */
export class DefragResult
  extends _DefragResultBase<string, DefragResultBytes> {}

/**
 * The result of {@linkcode urldefrag} on bytes: {@linkcode DefragResult}
 * with `Uint8Array` fields. `B` is their type: those of `urldefrag` are
 * `Uint8Array<ArrayBuffer>` (the default), which go to `crypto.subtle`,
 * `Blob` and `Response` as they are; one made with `new` has the type
 * of the bytes given.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urldefrag } from "@pyport/web/urllib/parse";
 * const r = urldefrag(new TextEncoder().encode("a#b"));
 * equal(new TextDecoder().decode(r.url), "a");
 * ```
 */
export class DefragResultBytes<B extends Uint8Array = Uint8Array<ArrayBuffer>>
  extends _DefragResultBase<B, DefragResult> {}

/**
 * Gives each str result class its `encode` and each bytes result class its
 * `decode`, building the twin, as Python's `_fix_result_transcoding` pairs
 * them.
 */
function pairTwins<S extends Iterable<string>, B extends Iterable<Uint8Array>>(
  str: FieldsConstructor<string, S>,
  bytes: FieldsConstructor<Uint8Array, B>,
): void {
  Object.defineProperty(str.prototype, "encode", {
    value: function encode(this: S, ...args: unknown[]): B {
      return transcoded(this, bytes, "encode", encodeText, args);
    },
    configurable: true,
    writable: true,
  });
  Object.defineProperty(bytes.prototype, "decode", {
    value: function decode(this: B, ...args: unknown[]): S {
      return transcoded(this, str, "decode", decodeBytes, args);
    },
    configurable: true,
    writable: true,
  });
}

pairTwins(SplitResult, SplitResultBytes);
pairTwins(ParseResult, ParseResultBytes);
pairTwins(DefragResult, DefragResultBytes);
