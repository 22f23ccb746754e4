/**
 * The named-tuple results of `urlsplit`, `urlparse` and `urldefrag`, with
 * Python's field names, tuple-style indexing and iteration, and the derived
 * `username` / `password` / `hostname` / `port` properties.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, the result classes
 * (`_ResultMixinStr` / `_ResultMixinBytes`, `_NetlocResultMixinBase`,
 * `SplitResult` … `DefragResultBytes`).
 *
 * @module
 */

import { pyArgs } from "../../_util/py_args.ts";
import { hostInfo, lowerHostname, portNumber, userInfo } from "./_netloc.ts";
import { decodeBytes, encodeText } from "../../_util/codec.ts";
import {
  latin1Decode,
  latin1Encode,
  reprBytes,
  reprStr,
} from "./_split_codec.ts";
import { unparseText, unsplitText } from "./_split_core.ts";

const INSPECT = Symbol.for("Deno.customInspect");
const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");

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

const CODEC_SPEC = {
  fn: "encode",
  names: ["encoding", "errors"] as const,
  defaults: { encoding: "ascii", errors: "strict" },
};
const DECODE_SPEC = { ...CODEC_SPEC, fn: "decode" };

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

// Index getters live on the prototype so construction only sets named
// fields; a tuple subclass of Array would cost far more per result.
function defineTuple(
  proto: object,
  fields: readonly string[],
  name: string,
  repr: (value: never) => string,
): void {
  fields.forEach((field, i) => {
    Object.defineProperty(proto, i, {
      get(this: Record<string, unknown>) {
        return this[field];
      },
      enumerable: false,
      configurable: true,
    });
  });
  Object.defineProperty(proto, "length", {
    value: fields.length,
    enumerable: false,
  });
  const show = function (this: Record<string, unknown>): string {
    const body = fields.map((f) => `${f}=${repr(this[f] as never)}`);
    return `${name}(${body.join(", ")})`;
  };
  for (const key of [INSPECT, NODE_INSPECT, "toString"]) {
    Object.defineProperty(proto, key, {
      value: show,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  Object.defineProperty(proto, Symbol.iterator, {
    value: function (this: Record<string, unknown>): Iterator<unknown> {
      return fields.map((f) => this[f])[Symbol.iterator]();
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

function checkFieldNames(
  fields: readonly string[],
  changes: object,
): void {
  const unknown = Object.keys(changes).filter((k) => !fields.includes(k));
  if (unknown.length > 0) {
    throw new TypeError(
      `Got unexpected field names: [${unknown.map(reprStr).join(", ")}]`,
    );
  }
}

/** The field values in tuple order, each taken from `changes` when given there. */
function replacedValues<F extends object>(
  self: F,
  fields: readonly (keyof F & string)[],
  changes: Partial<F>,
): F[keyof F][] {
  checkFieldNames(fields, changes);
  return fields.map((f) => changes[f] === undefined ? self[f] : changes[f]!);
}

function asDict<F extends object>(
  self: F,
  fields: readonly (keyof F & string)[],
): F {
  const values: Record<string, unknown> = {};
  for (const f of fields) values[f] = self[f];
  return values as F;
}

// One constructor call for every arity, so `_make`, `_replace`, `encode` and
// `decode` need not spell out each class's fields.
function build<T, R>(ctor: new (...values: T[]) => R, values: readonly T[]): R {
  return new ctor(...values);
}

function fromIterable<T>(
  iterable: Iterable<T>,
  count: number,
  name: string,
): T[] {
  const values = Array.from(iterable);
  if (values.length !== count) {
    throw new TypeError(
      `${name}._make() expected ${count} arguments, got ${values.length}`,
    );
  }
  return values;
}

function strHostname(netloc: string): string | null {
  const host = hostInfo(netloc)[0];
  return host === "" ? null : lowerHostname(host, false);
}

function strPort(netloc: string): number | null {
  const port = hostInfo(netloc)[1];
  return port === null ? null : portNumber(port, reprStr(port));
}

function bytesOrNull(text: string | null): Uint8Array | null {
  return text === null ? null : latin1Encode(text);
}

function bytesHostname(netloc: Uint8Array): Uint8Array | null {
  const host = hostInfo(latin1Decode(netloc))[0];
  return host === "" ? null : latin1Encode(lowerHostname(host, true));
}

function bytesPort(netloc: Uint8Array): number | null {
  const port = hostInfo(latin1Decode(netloc))[1];
  return port === null ? null : portNumber(port, reprBytes(latin1Encode(port)));
}

function encodeAll(
  values: readonly string[],
  args: readonly unknown[],
): Uint8Array[] {
  const { encoding, errors } = pyArgs(CODEC_SPEC, args);
  return values.map((v) => encodeText(v, encoding, errors));
}

function decodeAll(
  values: readonly Uint8Array[],
  args: readonly unknown[],
): string[] {
  const { encoding, errors } = pyArgs(DECODE_SPEC, args);
  return values.map((v) => decodeBytes(v, encoding, errors));
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
export class SplitResult implements SplitResultFields, Iterable<string> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = SPLIT_FIELDS;
  /** The URL scheme. */
  readonly scheme: string;
  /** The network location. */
  readonly netloc: string;
  /** The path. */
  readonly path: string;
  /** The query, without `?`. */
  readonly query: string;
  /** The fragment, without `#`. */
  readonly fragment: string;
  /** Same as `scheme`. */
  declare readonly 0: string;
  /** Same as `netloc`. */
  declare readonly 1: string;
  /** Same as `path`. */
  declare readonly 2: string;
  /** Same as `query`. */
  declare readonly 3: string;
  /** Same as `fragment`. */
  declare readonly 4: string;
  /** Always 5, as the tuple's `len()`. */
  declare readonly length: 5;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<string>;

  /** Builds a result from its five fields. */
  constructor(
    scheme: string,
    netloc: string,
    path: string,
    query: string,
    fragment: string,
  ) {
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.query = query;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of five strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SplitResult } from "@pyport/web/urllib/parse";
   * equal(SplitResult._make(["http", "h", "/", "", ""]).geturl(), "http://h/");
   * ```
   */
  static _make(iterable: Iterable<string>): SplitResult {
    return build(SplitResult, fromIterable(iterable, 5, "SplitResult"));
  }

  /** The user name in the netloc, or null when there is no `@`. */
  get username(): string | null {
    return userInfo(this.netloc)[0];
  }

  /** The password in the netloc, or null when there is none. */
  get password(): string | null {
    return userInfo(this.netloc)[1];
  }

  /** The host, lower-cased (an IPv6 zone id keeps its case), or null. */
  get hostname(): string | null {
    return strHostname(this.netloc);
  }

  /**
   * The port as a number, or null. Throws TypeError for a non-numeric port
   * and RangeError outside 0-65535, as Python raises ValueError.
   */
  get port(): number | null {
    return strPort(this.netloc);
  }

  /** The URL put back together by {@linkcode urlunsplit}. */
  geturl(): string {
    return unsplitText(
      this.scheme,
      this.netloc,
      this.path,
      this.query,
      this.fragment,
    );
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlsplit } from "@pyport/web/urllib/parse";
   * equal(urlsplit("http://a/b")._replace({ scheme: "https" }).geturl(), "https://a/b");
   * ```
   */
  _replace(changes: Partial<SplitResultFields>): SplitResult {
    return build(
      SplitResult,
      replacedValues<SplitResultFields>(this, SPLIT_FIELDS, changes),
    );
  }

  /** The fields as a plain object. */
  _asdict(): SplitResultFields {
    return asDict<SplitResultFields>(this, SPLIT_FIELDS);
  }

  /**
   * The bytes twin, each field encoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { urlsplit } from "@pyport/web/urllib/parse";
   * deepEqual(urlsplit("http://h/").encode().netloc, new TextEncoder().encode("h"));
   * ```
   */
  encode(encoding?: string, errors?: string): SplitResultBytes;
  /** The bytes twin, with keyword options. */
  encode(options: CodecOptions): SplitResultBytes;
  encode(...args: unknown[]): SplitResultBytes {
    return build(SplitResultBytes, encodeAll([...this], args));
  }
}

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
export class ParseResult implements ParseResultFields, Iterable<string> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = PARSE_FIELDS;
  /** The URL scheme. */
  readonly scheme: string;
  /** The network location. */
  readonly netloc: string;
  /** The path. */
  readonly path: string;
  /** The last segment's parameters, without `;`. */
  readonly params: string;
  /** The query, without `?`. */
  readonly query: string;
  /** The fragment, without `#`. */
  readonly fragment: string;
  /** Same as `scheme`. */
  declare readonly 0: string;
  /** Same as `netloc`. */
  declare readonly 1: string;
  /** Same as `path`. */
  declare readonly 2: string;
  /** Same as `params`. */
  declare readonly 3: string;
  /** Same as `query`. */
  declare readonly 4: string;
  /** Same as `fragment`. */
  declare readonly 5: string;
  /** Always 6, as the tuple's `len()`. */
  declare readonly length: 6;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<string>;

  /** Builds a result from its six fields. */
  constructor(
    scheme: string,
    netloc: string,
    path: string,
    params: string,
    query: string,
    fragment: string,
  ) {
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.params = params;
    this.query = query;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of six strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { ParseResult } from "@pyport/web/urllib/parse";
   * equal(ParseResult._make(["http", "h", "/p", "a", "", ""]).geturl(), "http://h/p;a");
   * ```
   */
  static _make(iterable: Iterable<string>): ParseResult {
    return build(ParseResult, fromIterable(iterable, 6, "ParseResult"));
  }

  /** The user name in the netloc, or null when there is no `@`. */
  get username(): string | null {
    return userInfo(this.netloc)[0];
  }

  /** The password in the netloc, or null when there is none. */
  get password(): string | null {
    return userInfo(this.netloc)[1];
  }

  /** The host, lower-cased (an IPv6 zone id keeps its case), or null. */
  get hostname(): string | null {
    return strHostname(this.netloc);
  }

  /**
   * The port as a number, or null. Throws TypeError for a non-numeric port
   * and RangeError outside 0-65535, as Python raises ValueError.
   */
  get port(): number | null {
    return strPort(this.netloc);
  }

  /** The URL put back together by {@linkcode urlunparse}. */
  geturl(): string {
    return unparseText(
      this.scheme,
      this.netloc,
      this.path,
      this.params,
      this.query,
      this.fragment,
    );
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlparse } from "@pyport/web/urllib/parse";
   * equal(urlparse("http://a/b")._replace({ params: "x" }).geturl(), "http://a/b;x");
   * ```
   */
  _replace(changes: Partial<ParseResultFields>): ParseResult {
    return build(
      ParseResult,
      replacedValues<ParseResultFields>(this, PARSE_FIELDS, changes),
    );
  }

  /** The fields as a plain object. */
  _asdict(): ParseResultFields {
    return asDict<ParseResultFields>(this, PARSE_FIELDS);
  }

  /**
   * The bytes twin, each field encoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlparse } from "@pyport/web/urllib/parse";
   * equal(urlparse("http://h/").encode("ascii").length, 6);
   * ```
   */
  encode(encoding?: string, errors?: string): ParseResultBytes;
  /** The bytes twin, with keyword options. */
  encode(options: CodecOptions): ParseResultBytes;
  encode(...args: unknown[]): ParseResultBytes {
    return build(ParseResultBytes, encodeAll([...this], args));
  }
}

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
export class DefragResult implements DefragResultFields, Iterable<string> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = DEFRAG_FIELDS;
  /** The URL without its fragment. */
  readonly url: string;
  /** The fragment, without `#`. */
  readonly fragment: string;
  /** Same as `url`. */
  declare readonly 0: string;
  /** Same as `fragment`. */
  declare readonly 1: string;
  /** Always 2, as the tuple's `len()`. */
  declare readonly length: 2;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<string>;

  /** Builds a result from its two fields. */
  constructor(url: string, fragment: string) {
    this.url = url;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of two strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { DefragResult } from "@pyport/web/urllib/parse";
   * equal(DefragResult._make(["http://h/", "x"]).geturl(), "http://h/#x");
   * ```
   */
  static _make(iterable: Iterable<string>): DefragResult {
    return build(DefragResult, fromIterable(iterable, 2, "DefragResult"));
  }

  /** The URL with its fragment put back (when it is not empty). */
  geturl(): string {
    return this.fragment !== "" ? this.url + "#" + this.fragment : this.url;
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urldefrag } from "@pyport/web/urllib/parse";
   * equal(urldefrag("http://h/#a")._replace({ fragment: "b" }).geturl(), "http://h/#b");
   * ```
   */
  _replace(changes: Partial<DefragResultFields>): DefragResult {
    return build(
      DefragResult,
      replacedValues<DefragResultFields>(this, DEFRAG_FIELDS, changes),
    );
  }

  /** The fields as a plain object. */
  _asdict(): DefragResultFields {
    return asDict<DefragResultFields>(this, DEFRAG_FIELDS);
  }

  /**
   * The bytes twin, each field encoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { urldefrag } from "@pyport/web/urllib/parse";
   * deepEqual(urldefrag("a#b").encode().fragment, new Uint8Array([98]));
   * ```
   */
  encode(encoding?: string, errors?: string): DefragResultBytes;
  /** The bytes twin, with keyword options. */
  encode(options: CodecOptions): DefragResultBytes;
  encode(...args: unknown[]): DefragResultBytes {
    return build(DefragResultBytes, encodeAll([...this], args));
  }
}

/**
 * The result of {@linkcode urlsplit} on bytes: {@linkcode SplitResult}
 * with `Uint8Array` fields.
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
export class SplitResultBytes
  implements SplitResultFields<Uint8Array>, Iterable<Uint8Array> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = SPLIT_FIELDS;
  /** The URL scheme. */
  readonly scheme: Uint8Array;
  /** The network location. */
  readonly netloc: Uint8Array;
  /** The path. */
  readonly path: Uint8Array;
  /** The query, without `?`. */
  readonly query: Uint8Array;
  /** The fragment, without `#`. */
  readonly fragment: Uint8Array;
  /** Same as `scheme`. */
  declare readonly 0: Uint8Array;
  /** Same as `netloc`. */
  declare readonly 1: Uint8Array;
  /** Same as `path`. */
  declare readonly 2: Uint8Array;
  /** Same as `query`. */
  declare readonly 3: Uint8Array;
  /** Same as `fragment`. */
  declare readonly 4: Uint8Array;
  /** Always 5, as the tuple's `len()`. */
  declare readonly length: 5;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<Uint8Array>;

  /** Builds a result from its five fields. */
  constructor(
    scheme: Uint8Array,
    netloc: Uint8Array,
    path: Uint8Array,
    query: Uint8Array,
    fragment: Uint8Array,
  ) {
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.query = query;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of five byte strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SplitResultBytes } from "@pyport/web/urllib/parse";
   * const e = new Uint8Array(0);
   * equal(SplitResultBytes._make([e, e, new Uint8Array([47]), e, e]).path.length, 1);
   * ```
   */
  static _make(iterable: Iterable<Uint8Array>): SplitResultBytes {
    return build(
      SplitResultBytes,
      fromIterable(iterable, 5, "SplitResultBytes"),
    );
  }

  /** The user name in the netloc, or null when there is no `@`. */
  get username(): Uint8Array | null {
    return bytesOrNull(userInfo(latin1Decode(this.netloc))[0]);
  }

  /** The password in the netloc, or null when there is none. */
  get password(): Uint8Array | null {
    return bytesOrNull(userInfo(latin1Decode(this.netloc))[1]);
  }

  /** The host, ASCII-lower-cased (an IPv6 zone id keeps its case), or null. */
  get hostname(): Uint8Array | null {
    return bytesHostname(this.netloc);
  }

  /**
   * The port as a number, or null. Throws TypeError for a non-numeric port
   * and RangeError outside 0-65535, as Python raises ValueError.
   */
  get port(): number | null {
    return bytesPort(this.netloc);
  }

  /** The URL put back together by {@linkcode urlunsplit}. */
  geturl(): Uint8Array {
    const [a, b, c, d, e] = [...this].map(latin1Decode);
    return latin1Encode(unsplitText(a!, b!, c!, d!, e!));
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { urlsplit } from "@pyport/web/urllib/parse";
   * const enc = new TextEncoder();
   * const r = urlsplit(enc.encode("http://a/b"))._replace({ path: enc.encode("/c") });
   * deepEqual(r.geturl(), enc.encode("http://a/c"));
   * ```
   */
  _replace(changes: Partial<SplitResultFields<Uint8Array>>): SplitResultBytes {
    return build(
      SplitResultBytes,
      replacedValues<SplitResultFields<Uint8Array>>(
        this,
        SPLIT_FIELDS,
        changes,
      ),
    );
  }

  /** The fields as a plain object. */
  _asdict(): SplitResultFields<Uint8Array> {
    return asDict<SplitResultFields<Uint8Array>>(this, SPLIT_FIELDS);
  }

  /**
   * The text twin, each field decoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlsplit } from "@pyport/web/urllib/parse";
   * equal(urlsplit(new TextEncoder().encode("http://h/")).decode().netloc, "h");
   * ```
   */
  decode(encoding?: string, errors?: string): SplitResult;
  /** The text twin, with keyword options. */
  decode(options: CodecOptions): SplitResult;
  decode(...args: unknown[]): SplitResult {
    return build(SplitResult, decodeAll([...this], args));
  }
}

/**
 * The result of {@linkcode urlparse} on bytes: {@linkcode ParseResult}
 * with `Uint8Array` fields.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urlparse } from "@pyport/web/urllib/parse";
 * const r = urlparse(new TextEncoder().encode("http://h/p;a"));
 * equal(new TextDecoder().decode(r.params), "a");
 * ```
 */
export class ParseResultBytes
  implements ParseResultFields<Uint8Array>, Iterable<Uint8Array> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = PARSE_FIELDS;
  /** The URL scheme. */
  readonly scheme: Uint8Array;
  /** The network location. */
  readonly netloc: Uint8Array;
  /** The path. */
  readonly path: Uint8Array;
  /** The last segment's parameters, without `;`. */
  readonly params: Uint8Array;
  /** The query, without `?`. */
  readonly query: Uint8Array;
  /** The fragment, without `#`. */
  readonly fragment: Uint8Array;
  /** Same as `scheme`. */
  declare readonly 0: Uint8Array;
  /** Same as `netloc`. */
  declare readonly 1: Uint8Array;
  /** Same as `path`. */
  declare readonly 2: Uint8Array;
  /** Same as `params`. */
  declare readonly 3: Uint8Array;
  /** Same as `query`. */
  declare readonly 4: Uint8Array;
  /** Same as `fragment`. */
  declare readonly 5: Uint8Array;
  /** Always 6, as the tuple's `len()`. */
  declare readonly length: 6;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<Uint8Array>;

  /** Builds a result from its six fields. */
  constructor(
    scheme: Uint8Array,
    netloc: Uint8Array,
    path: Uint8Array,
    params: Uint8Array,
    query: Uint8Array,
    fragment: Uint8Array,
  ) {
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.params = params;
    this.query = query;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of six byte strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { ParseResultBytes } from "@pyport/web/urllib/parse";
   * const e = new Uint8Array(0);
   * equal(ParseResultBytes._make([e, e, e, e, e, e]).geturl().length, 0);
   * ```
   */
  static _make(iterable: Iterable<Uint8Array>): ParseResultBytes {
    return build(
      ParseResultBytes,
      fromIterable(iterable, 6, "ParseResultBytes"),
    );
  }

  /** The user name in the netloc, or null when there is no `@`. */
  get username(): Uint8Array | null {
    return bytesOrNull(userInfo(latin1Decode(this.netloc))[0]);
  }

  /** The password in the netloc, or null when there is none. */
  get password(): Uint8Array | null {
    return bytesOrNull(userInfo(latin1Decode(this.netloc))[1]);
  }

  /** The host, ASCII-lower-cased (an IPv6 zone id keeps its case), or null. */
  get hostname(): Uint8Array | null {
    return bytesHostname(this.netloc);
  }

  /**
   * The port as a number, or null. Throws TypeError for a non-numeric port
   * and RangeError outside 0-65535, as Python raises ValueError.
   */
  get port(): number | null {
    return bytesPort(this.netloc);
  }

  /** The URL put back together by {@linkcode urlunparse}. */
  geturl(): Uint8Array {
    const [a, b, c, d, e, f] = [...this].map(latin1Decode);
    return latin1Encode(unparseText(a!, b!, c!, d!, e!, f!));
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlparse } from "@pyport/web/urllib/parse";
   * const r = urlparse(new TextEncoder().encode("http://a/b"));
   * equal(r._replace({ query: new Uint8Array([113]) }).geturl().length, 12);
   * ```
   */
  _replace(changes: Partial<ParseResultFields<Uint8Array>>): ParseResultBytes {
    return build(
      ParseResultBytes,
      replacedValues<ParseResultFields<Uint8Array>>(
        this,
        PARSE_FIELDS,
        changes,
      ),
    );
  }

  /** The fields as a plain object. */
  _asdict(): ParseResultFields<Uint8Array> {
    return asDict<ParseResultFields<Uint8Array>>(this, PARSE_FIELDS);
  }

  /**
   * The text twin, each field decoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urlparse } from "@pyport/web/urllib/parse";
   * equal(urlparse(new TextEncoder().encode("http://h/")).decode().path, "/");
   * ```
   */
  decode(encoding?: string, errors?: string): ParseResult;
  /** The text twin, with keyword options. */
  decode(options: CodecOptions): ParseResult;
  decode(...args: unknown[]): ParseResult {
    return build(ParseResult, decodeAll([...this], args));
  }
}

/**
 * The result of {@linkcode urldefrag} on bytes: {@linkcode DefragResult}
 * with `Uint8Array` fields.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { urldefrag } from "@pyport/web/urllib/parse";
 * const r = urldefrag(new TextEncoder().encode("a#b"));
 * equal(new TextDecoder().decode(r.url), "a");
 * ```
 */
export class DefragResultBytes
  implements DefragResultFields<Uint8Array>, Iterable<Uint8Array> {
  /** The names of the fields, in tuple order. */
  static readonly _fields: readonly string[] = DEFRAG_FIELDS;
  /** The URL without its fragment. */
  readonly url: Uint8Array;
  /** The fragment, without `#`. */
  readonly fragment: Uint8Array;
  /** Same as `url`. */
  declare readonly 0: Uint8Array;
  /** Same as `fragment`. */
  declare readonly 1: Uint8Array;
  /** Always 2, as the tuple's `len()`. */
  declare readonly length: 2;
  /** Iterates the fields in tuple order. */
  declare [Symbol.iterator]: () => Iterator<Uint8Array>;

  /** Builds a result from its two fields. */
  constructor(url: Uint8Array, fragment: Uint8Array) {
    this.url = url;
    this.fragment = fragment;
  }

  /**
   * Builds a result from any iterable of two byte strings.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { DefragResultBytes } from "@pyport/web/urllib/parse";
   * const r = DefragResultBytes._make([new Uint8Array([97]), new Uint8Array([98])]);
   * equal(r.geturl().length, 3);
   * ```
   */
  static _make(iterable: Iterable<Uint8Array>): DefragResultBytes {
    return build(
      DefragResultBytes,
      fromIterable(iterable, 2, "DefragResultBytes"),
    );
  }

  /** The URL with its fragment put back (when it is not empty). */
  geturl(): Uint8Array {
    return this.fragment.length !== 0
      ? concatBytes(this.url, new Uint8Array([0x23]), this.fragment)
      : this.url;
  }

  /**
   * A copy with some fields replaced.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urldefrag } from "@pyport/web/urllib/parse";
   * const r = urldefrag(new TextEncoder().encode("a#b"));
   * equal(r._replace({ fragment: new Uint8Array(0) }).geturl().length, 1);
   * ```
   */
  _replace(
    changes: Partial<DefragResultFields<Uint8Array>>,
  ): DefragResultBytes {
    return build(
      DefragResultBytes,
      replacedValues<DefragResultFields<Uint8Array>>(
        this,
        DEFRAG_FIELDS,
        changes,
      ),
    );
  }

  /** The fields as a plain object. */
  _asdict(): DefragResultFields<Uint8Array> {
    return asDict<DefragResultFields<Uint8Array>>(this, DEFRAG_FIELDS);
  }

  /**
   * The text twin, each field decoded (default ASCII, strict).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { urldefrag } from "@pyport/web/urllib/parse";
   * equal(urldefrag(new TextEncoder().encode("a#b")).decode().fragment, "b");
   * ```
   */
  decode(encoding?: string, errors?: string): DefragResult;
  /** The text twin, with keyword options. */
  decode(options: CodecOptions): DefragResult;
  decode(...args: unknown[]): DefragResult {
    return build(DefragResult, decodeAll([...this], args));
  }
}

defineTuple(SplitResult.prototype, SPLIT_FIELDS, "SplitResult", reprStr);
defineTuple(ParseResult.prototype, PARSE_FIELDS, "ParseResult", reprStr);
defineTuple(DefragResult.prototype, DEFRAG_FIELDS, "DefragResult", reprStr);
defineTuple(
  SplitResultBytes.prototype,
  SPLIT_FIELDS,
  "SplitResultBytes",
  reprBytes,
);
defineTuple(
  ParseResultBytes.prototype,
  PARSE_FIELDS,
  "ParseResultBytes",
  reprBytes,
);
defineTuple(
  DefragResultBytes.prototype,
  DEFRAG_FIELDS,
  "DefragResultBytes",
  reprBytes,
);
