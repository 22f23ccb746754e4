/**
 * Python's `urllib.request.Request`: a URL plus the method, body and
 * headers to send with it.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `Request` and `request_host`.
 *
 * @module
 */
import { pyLower } from "../../_util/py_case.ts";
import {
  adoptClassFields,
  classAttributes,
} from "../../_util/class_attributes.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { unquote, unwrap, urlparse } from "../parse/mod.ts";
import { isPlainObject, type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import { typeName } from "../../_util/py_type_name.ts";
import {
  asBytes,
  type BytesLike,
  isBytesLike,
} from "../../_util/bytes_like.ts";
import { capitalize, splitHost, splitTag, splitType } from "./_split.ts";

/**
 * A request body: bytes (any bytes-like object: a typed array, a
 * `DataView`, an `ArrayBuffer`), an iterable / async iterable of such chunks,
 * or a file object (a `Deno.FsFile`, or anything with a `readable` stream),
 * whose contents are read as it is sent; the last two are sent with
 * `Transfer-Encoding: chunked` unless you set `Content-Length`. A `string` is
 * refused when sending, as in Python.
 */
export type RequestData =
  | BytesLike
  | Iterable<BytesLike>
  | AsyncIterable<BytesLike>
  | FileBody;

/** A file object as a request body: its contents are read from `readable`. */
export interface FileBody {
  /** The file's contents (`Deno.FsFile.readable`, which closes the file at its end). */
  readonly readable: ReadableStream<Uint8Array>;
}

/** Python's `==` on bodies: bytes by value, lists item by item, anything else by identity. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Python's list ==: two lists of chunks are equal item by item.
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  }
  if (!isBytesLike(a) || !isBytesLike(b)) return false;
  const x = asBytes(a);
  const y = asBytes(b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/**
 * A request's headers: a plain object, or a mapping (`Map`, fetch's
 * `Headers`, an `HTTPMessage`), as Python takes any object with `items()`.
 */
export type RequestHeaders =
  | Record<string, string>
  | Map<string, string>
  | Headers
  | { items(): Iterable<[string, string]> };

/** The optional arguments of {@linkcode Request}, in Python's order. */
export interface RequestOptions {
  /** The body; its presence makes the default method POST. */
  data?: RequestData | null;
  /** Headers to send, stored with Python's `str.capitalize()` names. */
  headers?: RequestHeaders;
  /** The host of the origin transaction (RFC 2965); defaults to this URL's host. */
  origin_req_host?: string | null;
  /** Whether the user could not approve this request (e.g. an image in a page). */
  unverifiable?: boolean;
  /** The HTTP method; by default GET, or POST when there is data. */
  method?: string | null;
}

interface ResolvedOptions {
  data: RequestData | null;
  headers: RequestHeaders;
  origin_req_host: string | null;
  unverifiable: boolean;
  method: string | null;
}

const SPEC = {
  fn: "Request",
  names: [
    "data",
    "headers",
    "origin_req_host",
    "unverifiable",
    "method",
  ] as const,
  defaults: {
    data: null,
    headers: {},
    origin_req_host: null,
    unverifiable: false,
    method: null,
  } as ResolvedOptions,
  objectParams: ["headers"] as const,
};

/**
 * A URL whose scheme is `http` or `https`, as a literal or template type:
 * `"https://example.com/"` or `` `http://127.0.0.1:${port}/` ``.
 */
export type HttpURL = `http://${string}` | `https://${string}`;

/** The key of `Request`'s URL type, which has no value. */
declare const URL_TYPE: unique symbol;

/**
 * Python's `urllib.request.Request`.
 *
 * Header names are stored as Python stores them (`str.capitalize()`:
 * `Content-type`, `User-agent`), and the header lookups are exact on that
 * form, as in Python.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { Request } from "@pyport/web/urllib/request";
 * const req = new Request("http://www.example.com/a?b=1#frag", {
 *   data: new TextEncoder().encode("x=1"),
 *   headers: { "content-TYPE": "text/plain" },
 * });
 * assert(req.type === "http" && req.host === "www.example.com");
 * assert(req.selector === "/a?b=1" && req.fragment === "frag");
 * assert(req.get_method() === "POST");
 * assert(req.get_header("Content-type") === "text/plain");
 * ```
 *
 * @typeParam U The type of the URL given to the constructor: a literal or
 * template `http(s)://` URL makes `urlopen(req)` an `HTTPResponse`.
 */
export class Request<U extends HttpURL | string = string> {
  /**
   * The URL the request was made with, as its type knows it: lets
   * `urlopen` type what an `http(s)://` request resolves to as an
   * `HTTPResponse` (see `ResponseFor`). It exists in types only.
   */
  declare readonly [URL_TYPE]?: U;
  /** The URL scheme (`http`, `https`, `file`, `data`, …). */
  type!: string;
  /**
   * The host (and port) the request goes to, percent-decoded; `null` for a
   * URL without one (`data:`, `mailto:`), as in Python.
   */
  host!: string | null;
  /** What follows the host: path and query (or the full URL through a proxy). */
  selector!: string;
  /** The `#fragment` of the URL, or `null`. */
  fragment: string | null = null;
  /** Headers sent on this request and copied to redirected requests. */
  headers: Record<string, string> = {};
  /** Headers sent on this request only (not copied on redirects). */
  unredirected_hdrs: Record<string, string> = {};
  /** The host of the origin transaction (RFC 2965). */
  origin_req_host: string;
  /** Whether the request is unverifiable (RFC 2965). */
  unverifiable: boolean;
  /**
   * The method given to the constructor; else the class's (a subclass may
   * set one, as in Python: `class Patch extends Request {}` then
   * `Patch.method = "PATCH"`), `null` on `Request` itself: the default.
   */
  declare method: string | null;
  /** The default method of the class's requests (a Python class attribute). */
  declare static method: string | null;

  static {
    classAttributes<Request>(this, { method: null });
  }
  /** Seconds allowed for connecting and for each read; set by `OpenerDirector.open`. */
  timeout: number | null = null;
  /**
   * Not in Python: the `AbortSignal` given to `OpenerDirector.open` /
   * `urlopen`, which cancels the request (and reading its response) when
   * it aborts; set by `OpenerDirector.open`.
   */
  signal: AbortSignal | null = null;
  /** For HTTPS through a proxy: the real `host:port` tunnelled with CONNECT. */
  _tunnel_host: string | null = null;
  /** URLs seen so far while following redirects (used by the redirect handler). */
  redirect_dict?: Map<string, number>;
  #fullUrl = "";
  #data: RequestData | null = null;

  /** Every optional argument as a keyword: `new Request(url, { data, headers, method })`. */
  constructor(url: U, options?: RequestOptions);
  /**
   * Python's positional form: `new Request(url, data?, headers?,
   * origin_req_host?, unverifiable?, method?)`.
   */
  constructor(
    url: U,
    data?: RequestData | null,
    headers?: RequestHeaders,
    origin_req_host?: string | null,
    unverifiable?: boolean,
    method?: string | null,
  );
  /**
   * Some arguments by position, the rest as keywords:
   * `new Request(url, data, headers, { method: "PUT" })`.
   */
  constructor(
    url: U,
    ...args: MixedArgs<
      [
        data?: RequestData | null,
        headers?: RequestHeaders,
        origin_req_host?: string | null,
        unverifiable?: boolean,
        method?: string | null,
      ],
      RequestOptions,
      ["data", "headers", "origin_req_host", "unverifiable", "method"]
    >
  );
  constructor(url: U, ...args: unknown[]) {
    adoptClassFields(new.target);
    const opts = pyArgs(SPEC, args);
    this.full_url = url;
    this.#data = opts.data;
    for (const [key, value] of headerEntries(opts.headers)) {
      this.add_header(key, value);
    }
    this.origin_req_host = opts.origin_req_host ?? request_host(this);
    this.unverifiable = opts.unverifiable;
    if (opts.method) this.method = opts.method;
  }

  /** The URL, fragment included; setting it re-parses type, host and selector. */
  get full_url(): string {
    // An empty fragment is dropped, as Python's truth test drops it.
    return this.fragment ? `${this.#fullUrl}#${this.fragment}` : this.#fullUrl;
  }
  set full_url(url: string) {
    const [rest, tag] = splitTag(unwrap(url));
    this.#fullUrl = rest;
    this.fragment = tag;
    this.#parse();
  }

  /** The body; setting a different one (by value, for bytes) drops a stale `Content-length`. */
  get data(): RequestData | null {
    return this.#data;
  }
  set data(value: RequestData | null) {
    if (!sameData(value, this.#data)) {
      this.#data = value;
      if (this.has_header("Content-length")) {
        this.remove_header("Content-length");
      }
    }
  }

  #parse(): void {
    const [type, rest] = splitType(this.#fullUrl);
    if (type === null) {
      throw new TypeError(`unknown url type: ${pyRepr(this.full_url)}`);
    }
    this.type = type;
    const [host, selector] = splitHost(rest);
    this.host = host ? unquote(host) : host;
    this.selector = selector;
  }

  /** The method to use: the one given, else POST with data, else GET. */
  get_method(): string {
    return this.method ?? (this.#data !== null ? "POST" : "GET");
  }

  /** Python's `get_full_url()`: the same as `full_url`. */
  get_full_url(): string {
    return this.full_url;
  }

  /**
   * Routes the request through the proxy at `host` speaking `type`. HTTPS
   * requests keep their type and tunnel with CONNECT.
   */
  set_proxy(host: string, type: string): void {
    if (this.type === "https" && !this._tunnel_host) {
      this._tunnel_host = this.host;
    } else {
      this.type = type;
      this.selector = this.full_url;
    }
    this.host = host;
  }

  /** Whether the selector is a full URL, i.e. the request goes via a plain HTTP proxy. */
  has_proxy(): boolean {
    return this.selector === this.full_url;
  }

  /** Adds (or replaces) a header, stored under its capitalized name. */
  add_header(key: string, val: string): void {
    this.headers[capitalize(key)] = val;
  }

  /** Adds a header that is not copied to redirected requests. */
  add_unredirected_header(key: string, val: string): void {
    this.unredirected_hdrs[capitalize(key)] = val;
  }

  /** Whether either header set has `header_name` (exact, capitalized form). */
  has_header(header_name: string): boolean {
    return Object.hasOwn(this.headers, header_name) ||
      Object.hasOwn(this.unredirected_hdrs, header_name);
  }

  /** A header's value (redirected set first), else `default` (`null`). */
  get_header(header_name: string, default_?: string | null): string | null;
  /** Keyword form: `get_header(name, { default: "x" })`. */
  get_header(
    header_name: string,
    options: { default?: string | null },
  ): string | null;
  get_header(header_name: string, ...args: unknown[]): string | null {
    const { default: default_ } = pyArgs({
      fn: "get_header",
      names: ["default"],
      defaults: { default: null as string | null },
    }, args);
    if (Object.hasOwn(this.headers, header_name)) {
      return this.headers[header_name] as string;
    }
    if (Object.hasOwn(this.unredirected_hdrs, header_name)) {
      return this.unredirected_hdrs[header_name] as string;
    }
    return default_;
  }

  /** Removes a header from both sets. */
  remove_header(header_name: string): void {
    delete this.headers[header_name];
    delete this.unredirected_hdrs[header_name];
  }

  /** All headers as `[name, value]` pairs; redirected ones win on a clash. */
  header_items(): [string, string][] {
    const merged: Record<string, string> = {
      ...this.unredirected_hdrs,
      ...this.headers,
    };
    return Object.entries(merged);
  }
}

/**
 * Python's `urllib.request.request_host`: the request's host, lower-cased
 * and without its port.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { Request, request_host } from "@pyport/web/urllib/request";
 * assert(request_host(new Request("http://WWW.Example.com:8080/")) === "www.example.com");
 * ```
 */
export function request_host(request: Request): string {
  let host = urlparse(request.full_url).netloc;
  if (host === "") host = request.get_header("Host", "") ?? "";
  // Python's `$` also matches before a final newline.
  return pyLower(host.replace(/:\d+(?=\n?$)/, ""));
}

/**
 * The pairs of a `headers` argument: a plain object, or any mapping (a
 * `Map`, fetch's `Headers`, an `HTTPMessage`: anything with `items()`), as
 * Python takes anything with `items()`; anything else is Python's error.
 */
function headerEntries(headers: RequestHeaders): Iterable<[string, string]> {
  if (headers instanceof Map || headers instanceof Headers) {
    return headers.entries();
  }
  if (headers === null || typeof headers !== "object") {
    throw new TypeError(
      `'${typeName(headers)}' object has no attribute 'items'`,
    );
  }
  const items = (headers as { items?: unknown }).items;
  if (typeof items === "function") {
    return items.call(headers) as Iterable<[string, string]>;
  }
  if (!isPlainObject(headers)) {
    throw new TypeError(
      `'${typeName(headers)}' object has no attribute 'items'`,
    );
  }
  return Object.entries(headers);
}
