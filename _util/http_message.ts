/**
 * The header container that Python's `http.client.HTTPMessage` (an
 * `email.message.Message`) provides: case-insensitive look-up that keeps the
 * order, the original spelling and every repeat of each header.
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPMessage`, and the parts of
 * `Lib/email/message.py`'s `Message` it inherits (`get`, `get_all`,
 * `get_content_type`, `get_param`, …).
 *
 * @module
 */

import { encodeText } from "./codec/mod.ts";
import {
  collapseRfc2231Value,
  decodeRfc2231Text,
  paramsOf,
  type ParamValue,
  quoteValue,
  unquoteParam,
} from "./mime_params.ts";

import { type MixedArgs, optionalArg, pyArgs } from "./py_args.ts";
import { pyRepr } from "./py_repr.ts";
import { pyRstrip, pyStrip } from "./py_str.ts";
import { typeName } from "./py_type_name.ts";

export type { ParamValue, Rfc2231Value } from "./mime_params.ts";

const DEFAULT_CONTENT_TYPE = "text/plain";

/** Tells an omitted `failobj` apart from any value a caller could pass. */
const MISSING: unique symbol = Symbol("missing");

/** Python's keyword for a method's `failobj`, by itself. */
export interface FailobjOption<T> {
  /** What the method returns when the header (or parameter) is missing. */
  failobj?: T;
}

/** Keywords of `get_params` and `get_param`, as Python's. */
export interface ParamOptions<T> extends FailobjOption<T> {
  /** The header whose parameters are read; `content-type` by default. */
  header?: string;
  /** Whether quoted values are unquoted (the default). */
  unquote?: boolean;
}

/** Keywords of `as_string`, as Python's. */
export interface AsStringOptions {
  /** Python writes the envelope's `From ` line; an HTTP message has none. */
  unixfrom?: boolean;
  /** Only `0` (values as received); Python re-folds at any other width. */
  maxheaderlen?: number;
  /** Only `null`: there are no `email.policy` objects here. */
  policy?: null;
}

/**
 * `failobj`, the sole optional parameter of `fn`, from `args`: by position
 * or as `{ failobj }`. A plain object that is not that keyword alone is
 * the value itself (Python's `msg.get(name, {})`).
 */
function failobjOf(fn: string, args: readonly unknown[]): unknown {
  return optionalArg<unknown>(fn, "failobj", null, args, true);
}

/** The optional parameters of `get_params` / `get_param` from `args`. */
function paramArgs(
  fn: string,
  args: readonly unknown[],
): { failobj: unknown; header: string; unquote: boolean } {
  return pyArgs({
    fn,
    names: ["failobj", "header", "unquote"],
    defaults: {
      failobj: null as unknown,
      header: "content-type",
      unquote: true,
    },
    objectParams: ["failobj"],
  }, args);
}

/**
 * Headers of an HTTP request or response, with the methods of Python's
 * `http.client.HTTPMessage`.
 *
 * Look-ups ignore case; iteration yields the header names in the order they
 * were received, repeats included, as iterating a Python message does.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPMessage } from "@pyport/web";
 * const msg = new HTTPMessage([
 *   ["Content-Type", "text/html; charset=ISO-8859-1"],
 *   ["Set-Cookie", "a=1"],
 *   ["Set-Cookie", "b=2"],
 * ]);
 * assert(msg.get("content-type") === "text/html; charset=ISO-8859-1");
 * assert(msg.get_all("set-cookie")?.length === 2);
 * assert(msg.get_content_type() === "text/html");
 * assert(msg.get_content_charset() === "iso-8859-1");
 * assert(msg.get("X-Missing") === null);
 * ```
 */
export class HTTPMessage implements Iterable<string> {
  /** The headers in order: each name as spelled, and its value. */
  #pairs: [string, string][];
  #defaultType = DEFAULT_CONTENT_TYPE;

  /**
   * Creates a message holding `init`, in order; a fetch `Headers` object is
   * copied, as {@linkcode HTTPMessage.fromHeaders} copies it.
   */
  constructor(
    // Each header as received or set: its name as spelled, and its value.
    init: Iterable<readonly [name: string, value: string]> | Headers = [],
  ) {
    // An array (the server's parsed head) skips looking up the global
    // `Headers`, which Deno loads lazily: a third of the copy's cost.
    if (!Array.isArray(init) && init instanceof Headers) {
      this.#pairs = pairsOf(init);
      return;
    }
    const list: [string, string][] = [];
    for (const [name, value] of init) list.push([name, value]);
    this.#pairs = list;
  }

  /**
   * Copies a fetch `Headers` object. `Headers` has already joined repeated
   * headers with ", " (all but `Set-Cookie`, which it keeps apart).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = HTTPMessage.fromHeaders(new Headers({ "X-A": "1" }));
   * assert(msg.get("x-a") === "1");
   * ```
   */
  static fromHeaders(headers: Headers): HTTPMessage {
    return new HTTPMessage(pairsOf(headers));
  }

  /**
   * The headers as a fetch `Headers` object (repeats appended).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const h = new HTTPMessage([["A", "1"], ["A", "2"]]).toHeaders();
   * assert(h.get("a") === "1, 2");
   * ```
   */
  toHeaders(): Headers {
    const headers = new Headers();
    for (const [name, value] of this.#pairs) headers.append(name, value);
    return headers;
  }

  /**
   * The first value of header `name`, or `failobj` when there is none.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Host", "example.com"]]);
   * assert(msg.get("HOST") === "example.com");
   * assert(msg.get("Accept", "*\/*") === "*\/*");
   * ```
   */
  get(name: string): string | null;
  /** The first value of header `name`, or `failobj` when there is none. */
  get<T>(name: string, failobj: T): string | T;
  /** Keyword form: `get(name, { failobj })`. */
  get<T>(name: string, options: FailobjOption<T>): string | T;
  get(name: string, ...args: unknown[]): unknown {
    const failobj = failobjOf("get", args);
    const named = nameTest(name);
    for (const [key, value] of this.#pairs) {
      if (named(key)) return value;
    }
    return failobj;
  }

  /**
   * Every value of header `name` in order, or `failobj` when there is none.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Via", "a"], ["via", "b"]]);
   * assert(msg.get_all("VIA")?.join() === "a,b");
   * assert(msg.get_all("X") === null);
   * ```
   */
  get_all(name: string): string[] | null;
  /** Every value of header `name`, or `failobj` when there is none. */
  get_all<T>(name: string, failobj: T): string[] | T;
  /** Keyword form: `get_all(name, { failobj })`. */
  get_all<T>(name: string, options: FailobjOption<T>): string[] | T;
  get_all(name: string, ...args: unknown[]): unknown {
    const failobj = failobjOf("get_all", args);
    const named = nameTest(name);
    const values = this.#pairs
      .filter(([key]) => named(key))
      .map(([, value]) => value);
    return values.length > 0 ? values : failobj;
  }

  /**
   * Whether header `name` is present (Python's `name in msg`).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["ETag", "x"]]).has("etag"));
   * ```
   */
  has(name: string): boolean {
    const named = nameTest(name);
    return this.#pairs.some(([key]) => named(key));
  }

  /**
   * The number of headers, repeats included (Python's `len(msg)`).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["A", "1"], ["A", "2"]]).length === 2);
   * ```
   */
  get length(): number {
    return this.#pairs.length;
  }

  /**
   * The header names, in order, repeats included.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["A", "1"]]).keys()[0] === "A");
   * ```
   */
  keys(): string[] {
    return this.#pairs.map(([name]) => name);
  }

  /**
   * The header values, in order.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["A", "1"]]).values()[0] === "1");
   * ```
   */
  values(): string[] {
    return this.#pairs.map(([, value]) => value);
  }

  /**
   * The `[name, value]` pairs, in order.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const [[name, value]] = new HTTPMessage([["A", "1"]]).items() as [[string, string]];
   * assert(name === "A" && value === "1");
   * ```
   */
  items(): [string, string][] {
    return this.#pairs.map(([name, value]) => [name, value]);
  }

  /**
   * The `[name, value]` pairs as stored, in order (Python's `raw_items()`:
   * under `http.client`'s policy, what `items()` gives), as an iterator.
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["A", "1"], ["B", "2 "]]);
   * deepEqual([...msg.raw_items()], [["A", "1"], ["B", "2 "]]);
   * ```
   */
  raw_items(): IterableIterator<[string, string]> {
    return this.items()[Symbol.iterator]();
  }

  /**
   * Appends a header with its value stored as given: no parameters, no
   * checks (Python's `set_raw`).
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["A", "1"]]);
   * msg.set_raw("A", "2");
   * deepEqual(msg.get_all("a"), ["1", "2"]);
   * ```
   */
  set_raw(name: string, value: string): void {
    this.#pairs.push([name, value]);
  }

  /**
   * Iterates the header names, as iterating a Python message does.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert([...new HTTPMessage([["A", "1"], ["B", "2"]])].join() === "A,B");
   * ```
   */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /**
   * Appends a header (Python's `msg[name] = value` and `add_header`).
   * Parameters become `; key="value"` (or `; key` for a `null` value).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage();
   * msg.add_header("Content-Disposition", "attachment", { filename: "a.txt" });
   * assert(msg.get("content-disposition") === 'attachment; filename="a.txt"');
   * ```
   */
  add_header(
    name: string,
    value: string,
    params: Record<string, string | null> = {},
  ): void {
    const parts = [value];
    for (const [key, param] of Object.entries(params)) {
      parts.push(formatParam(key.replaceAll("_", "-"), param));
    }
    this.#pairs.push([name, parts.join("; ")]);
  }

  /**
   * Replaces the value of the first header called `name`, keeping its place.
   * Throws a `RangeError` (Python's `KeyError`) when there is none.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["A", "1"]]);
   * msg.replace_header("a", "2");
   * assert(msg.get("A") === "2");
   * ```
   */
  replace_header(name: string, value: string): void {
    const named = nameTest(name);
    const pair = this.#pairs.find(([key]) => named(key));
    if (!pair) throw new RangeError(`header not found: ${name}`);
    pair[1] = value;
  }

  /**
   * Removes every header called `name` (Python's `del msg[name]`); no error
   * when there is none.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["A", "1"], ["a", "2"], ["B", "3"]]);
   * msg.delete("A");
   * assert(msg.length === 1);
   * ```
   */
  delete(name: string): void {
    const named = nameTest(name);
    this.#pairs = this.#pairs.filter(([key]) => !named(key));
  }

  /**
   * The media type of the `Content-Type` header, lowercased; `text/plain`
   * when it is missing or malformed, as in Python.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["Content-Type", "Text/HTML; x=1"]]).get_content_type() === "text/html");
   * assert(new HTTPMessage().get_content_type() === "text/plain");
   * ```
   */
  get_content_type(): string {
    const header = this.get("content-type");
    if (header === null) return this.#defaultType;
    const type = firstPart(header);
    // An invalid type reads as text/plain, whatever the default type is.
    return type.split("/").length === 2 ? type : DEFAULT_CONTENT_TYPE;
  }

  /**
   * The content type `get_content_type` falls back on: `text/plain` unless
   * `set_default_type` changed it.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage();
   * equal(msg.get_default_type(), "text/plain");
   * msg.set_default_type("message/rfc822");
   * equal(msg.get_content_type(), "message/rfc822");
   * ```
   */
  get_default_type(): string {
    return this.#defaultType;
  }

  /** Sets what {@linkcode HTTPMessage.get_default_type} returns. */
  set_default_type(ctype: string): void {
    this.#defaultType = ctype;
  }

  /**
   * The disposition of `Content-Disposition` (`attachment`, `inline`),
   * lowercased, or `null` when the header is missing.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Content-Disposition", "Attachment; filename=a.txt"]]);
   * equal(msg.get_content_disposition(), "attachment");
   * ```
   */
  get_content_disposition(): string | null {
    const value = this.get("content-disposition");
    return value === null ? null : firstPart(value);
  }

  /**
   * The `boundary` parameter of `Content-Type` (a multipart body's
   * separator), unquoted and without trailing blanks, or `failobj`.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Content-Type", 'multipart/form-data; boundary="--xy;z"']]);
   * equal(msg.get_boundary(), "--xy;z");
   * equal(new HTTPMessage().get_boundary(), null);
   * ```
   */
  get_boundary(): string | null;
  /** The boundary, or `failobj` when there is none. */
  get_boundary<T>(failobj: T): string | T;
  /** Keyword form: `get_boundary({ failobj })`. */
  get_boundary<T>(options: FailobjOption<T>): string | T;
  get_boundary(...args: unknown[]): unknown {
    const failobj = failobjOf("get_boundary", args);
    const found = this.get_param("boundary", MISSING);
    if (found === MISSING) return failobj;
    // RFC 2046: a boundary may begin with blanks, not end with them.
    return pyRstrip(collapseRfc2231Value(found));
  }

  /**
   * The part of the content type before the `/`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["Content-Type", "image/png"]]).get_content_maintype() === "image");
   * ```
   */
  get_content_maintype(): string {
    return this.get_content_type().split("/")[0] as string;
  }

  /**
   * The part of the content type after the `/`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["Content-Type", "image/png"]]).get_content_subtype() === "png");
   * ```
   */
  get_content_subtype(): string {
    const subtype = this.get_content_type().split("/")[1];
    // Python's IndexError, for a default type set without a slash.
    if (subtype === undefined) throw new RangeError("list index out of range");
    return subtype;
  }

  /**
   * The parameters of `header` (default `Content-Type`) as `[key, value]`
   * pairs, the first being the value itself with an empty string, as in
   * Python; `failobj` when the header is missing.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Content-Type", 'text/html; charset="utf-8"']]);
   * assert(JSON.stringify(msg.get_params()) === '[["text/html",""],["charset","utf-8"]]');
   * ```
   */
  get_params(): [string, ParamValue][] | null;
  /**
   * The parameters of `header`, or `failobj` when it is missing; with
   * `unquote` false, values keep their quotes.
   */
  get_params<T>(
    failobj: T,
    header?: string,
    unquote?: boolean,
  ): [string, ParamValue][] | T;
  /** Some by position, the rest by keyword: `get_params(null, { header })`. */
  get_params<T>(
    ...args: MixedArgs<
      [failobj?: T, header?: string, unquote?: boolean],
      ParamOptions<T>,
      ["failobj", "header", "unquote"]
    >
  ): [string, ParamValue][] | T;
  /** Keyword form: `get_params({ failobj, header, unquote })`. */
  get_params<T>(options: ParamOptions<T>): [string, ParamValue][] | T;
  get_params(...args: unknown[]): unknown {
    const { failobj, header, unquote } = paramArgs("get_params", args);
    const value = this.get(header);
    if (value === null) return failobj;
    const params = paramsOf(value);
    return unquote ? params.map(([k, v]) => [k, unquoteParam(v)]) : params;
  }

  /**
   * The value of parameter `param` of `header` (default `Content-Type`), or
   * `failobj`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Content-Type", "text/plain; format=flowed"]]);
   * assert(msg.get_param("format") === "flowed");
   * ```
   */
  get_param(param: string): ParamValue | null;
  /**
   * The value of parameter `param` of `header`, or `failobj`; with
   * `unquote` false, the value keeps its quotes.
   */
  get_param<T>(
    param: string,
    failobj: T,
    header?: string,
    unquote?: boolean,
  ): ParamValue | T;
  /** Some by position, the rest by keyword: `get_param(param, null, { header })`. */
  get_param<T>(
    param: string,
    ...args: MixedArgs<
      [failobj?: T, header?: string, unquote?: boolean],
      ParamOptions<T>,
      ["failobj", "header", "unquote"]
    >
  ): ParamValue | T;
  /** Keyword form: `get_param(param, { failobj, header, unquote })`. */
  get_param<T>(param: string, options: ParamOptions<T>): ParamValue | T;
  get_param(param: string, ...args: unknown[]): unknown {
    const { failobj, header, unquote } = paramArgs("get_param", args);
    const value = this.get(header);
    if (value === null) return failobj;
    const wanted = param.toLowerCase();
    for (const [key, found] of paramsOf(value)) {
      if (key.toLowerCase() === wanted) {
        return unquote ? unquoteParam(found) : found;
      }
    }
    return failobj;
  }

  /**
   * The `charset` parameter of `Content-Type`, lowercased, or `failobj`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([["Content-Type", "text/html; charset=UTF-8"]]);
   * assert(msg.get_content_charset() === "utf-8");
   * assert(new HTTPMessage().get_content_charset("latin-1") === "latin-1");
   * ```
   */
  get_content_charset(): string | null;
  /** The `charset` parameter, lowercased, or `failobj`. */
  get_content_charset<T>(failobj: T): string | T;
  /** Keyword form: `get_content_charset({ failobj })`. */
  get_content_charset<T>(options: FailobjOption<T>): string | T;
  get_content_charset(...args: unknown[]): unknown {
    const failobj = failobjOf("get_content_charset", args);
    const found = this.get_param("charset", MISSING);
    if (found === MISSING) return failobj;
    let charset: string;
    if (typeof found === "string") charset = found;
    else {
      // RFC 2231 encoded: decoded, it must still be ASCII.
      try {
        charset = decodeRfc2231Text(found, "us-ascii", "strict");
      } catch {
        charset = found[2];
      }
    }
    // deno-lint-ignore no-control-regex
    if (/[^\x00-\x7f]/.test(charset)) return failobj;
    return charset.toLowerCase();
  }

  /**
   * The file name a response gives its body: the `filename` parameter of
   * `Content-Disposition`, else `name` of `Content-Type`, RFC 2231 decoded
   * (`filename*=UTF-8''na%C3%AFve.txt`) and stripped; or `failobj`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * const msg = new HTTPMessage([
   *   ["Content-Disposition", "attachment; filename*=UTF-8''na%C3%AFve.txt"],
   * ]);
   * assert(msg.get_filename() === "na\u00efve.txt");
   * assert(new HTTPMessage().get_filename("index.html") === "index.html");
   * ```
   */
  get_filename(): string | null;
  /** The file name, or `failobj` when the headers name none. */
  get_filename<T>(failobj: T): string | T;
  /** Keyword form: `get_filename({ failobj })`. */
  get_filename<T>(options: FailobjOption<T>): string | T;
  get_filename(...args: unknown[]): unknown {
    const failobj = failobjOf("get_filename", args);
    let found = this.get_param("filename", MISSING, "content-disposition");
    if (found === MISSING) found = this.get_param("name", MISSING);
    if (found === MISSING) return failobj;
    return pyStrip(collapseRfc2231Value(found));
  }

  /**
   * The headers as Python's `str(msg)` shows them: one `Name: value` line
   * each, then an empty line.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HTTPMessage } from "@pyport/web";
   * assert(new HTTPMessage([["A", "1"]]).as_string() === "A: 1\n\n");
   * ```
   */
  as_string(): string;
  /**
   * Python's parameters, as far as they apply: `unixfrom` (an HTTP message
   * has no `From ` line to write), `maxheaderlen` `0` and `policy` `null`.
   */
  as_string(
    unixfrom?: boolean,
    maxheaderlen?: number,
    policy?: null,
  ): string;
  /** Keyword form: `as_string({ unixfrom, maxheaderlen, policy })`. */
  as_string(options: AsStringOptions): string;
  /** Some by position, the rest by keyword: `as_string(false, { policy: null })`. */
  as_string(
    ...args: MixedArgs<
      [unixfrom?: boolean, maxheaderlen?: number, policy?: null],
      AsStringOptions,
      ["unixfrom", "maxheaderlen", "policy"]
    >
  ): string;
  as_string(...args: unknown[]): string {
    if (args.length > 0) {
      const { maxheaderlen, policy } = pyArgs({
        fn: "as_string",
        names: ["unixfrom", "maxheaderlen", "policy"],
        defaults: { unixfrom: false, maxheaderlen: 0, policy: null as unknown },
      }, args);
      if (maxheaderlen !== 0) {
        throw new RangeError(
          `as_string(): maxheaderlen ${
            pyRepr(maxheaderlen)
          } is not supported: values are written as received (0)`,
        );
      }
      if (policy !== null) {
        throw new TypeError(
          "as_string(): policy is not supported: there are no email.policy objects",
        );
      }
    }
    // A folded value's line breaks come out as Python's generator writes
    // them, "\n" (its CR kept, it read "a\r\n\tb").
    return this.#pairs.map(([name, value]) =>
      `${name}: ${value.replaceAll("\r\n", "\n")}\n`
    ).join("") + "\n";
  }

  /** Same as {@linkcode HTTPMessage.as_string}. */
  toString(): string {
    return this.as_string();
  }

  /** Shows the headers when the message is logged with `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    const lines = this.#pairs.map(([name, value]) => `  ${name}: ${value}`);
    return `HTTPMessage {\n${lines.join("\n")}\n}`;
  }
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A test for header names equal to `name` but for case, as Python's
 * `key.lower() == name.lower()`. For an ASCII name (all but exotic ones)
 * only a name of the same length can match: lower-casing keeps every
 * character one character, save U+0130, which becomes two of which one is
 * not ASCII. Most names are then ruled out without making a lower-case
 * copy (a browser's request has a dozen, and a handler asks for several).
 */
function nameTest(name: string): (key: string) => boolean {
  let test = nameTests.get(name);
  if (test !== undefined) return test;
  const wanted = name.toLowerCase();
  test = NON_ASCII.test(wanted)
    ? (key) => key.toLowerCase() === wanted
    : (key) => key.length === wanted.length && key.toLowerCase() === wanted;
  if (nameTests.size < NAME_TESTS_MAX && name.length <= NAME_MAX) {
    nameTests.set(name, test);
  }
  return test;
}

// A handler asks for the same few names on every request: their tests are
// made once. Bounded in count and in each name's length, so names taken
// from clients can neither grow it for ever nor fill it with long ones.
const nameTests = new Map<string, (key: string) => boolean>();
const NAME_TESTS_MAX = 256;
const NAME_MAX = 64;

/** The pairs of a `Headers` object, each `Set-Cookie` kept apart. */
function pairsOf(headers: Headers): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name !== "set-cookie") pairs.push([name, value]);
  }
  for (const cookie of headers.getSetCookie()) {
    pairs.push(["set-cookie", cookie]);
  }
  return pairs;
}

/**
 * http.client's `HTTPResponse.getheader(name, default)` over a response's
 * headers: every value of `name` joined with `", "`, or `default_`. As in
 * Python, a default that is iterable and not a string is joined with
 * `", "` too (`["a", "b"]` gives `"a, b"`), and any other is returned as
 * it is.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { getheader, HTTPMessage } from "./http_message.ts";
 * const headers = new HTTPMessage([["X-E", "1"], ["x-e", "2"]]);
 * equal(getheader(headers, "X-E"), "1, 2");
 * equal(getheader(headers, "Missing", "none"), "none");
 * equal(getheader(headers, "Missing", ["a", "b"]), "a, b");
 * equal(getheader(headers, "Missing", 42), 42);
 * ```
 */
export function getheader(
  headers: HTTPMessage | null,
  name: string,
  default_: unknown = null,
): unknown {
  const values = headers?.get_all(name) ?? null;
  const found = values === null || values.length === 0 ? default_ : values;
  if (
    typeof found === "string" || found === null ||
    (typeof found !== "object" && typeof found !== "function") ||
    !(Symbol.iterator in found)
  ) return found;
  // Python's ", ".join(default): str items only.
  const items = Array.from(found as Iterable<unknown>);
  items.forEach((item, i) => {
    if (typeof item !== "string") {
      throw new TypeError(
        `sequence item ${i}: expected str instance, ${typeName(item)} found`,
      );
    }
  });
  return items.join(", ");
}

/** A header's value before its first `;` (quoted or not), lowercased, as Python's `_splitparam`. */
function firstPart(value: string): string {
  const semicolon = value.indexOf(";");
  return pyStrip(semicolon === -1 ? value : value.slice(0, semicolon))
    .toLowerCase();
}

const UNRESERVED = /^[A-Za-z0-9_.~-]$/;

/**
 * One `add_header` parameter as Python's `_formatparam` writes it: quoted;
 * RFC 2231-encoded as UTF-8 when not ASCII (`filename*=utf-8''na%C3%AFve`);
 * the bare name when the value is `null` or empty.
 */
function formatParam(name: string, value: string | null): string {
  if (value === null || value === "") return name;
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(value)) {
    // Python's quote(value, safe=""): only letters, digits and _.-~ stay;
    // a lone surrogate is its UnicodeEncodeError.
    let quoted = "";
    for (const byte of encodeText(value, "utf-8", "strict")) {
      quoted += UNRESERVED.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return `${name}*=utf-8''${quoted}`;
  }
  return `${name}="${quoteValue(value)}"`;
}
