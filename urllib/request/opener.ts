/**
 * Python's `OpenerDirector`, `build_opener`, `install_opener` and
 * `urlopen`: the dispatcher that runs a request through its handlers.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `OpenerDirector`,
 * `build_opener`, `install_opener` and `urlopen`.
 *
 * @module
 */
import { pyInt } from "../../_util/py_int.ts";
import { URLError } from "../error.ts";
import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import type { BaseHandler } from "./base_handler.ts";
import { type HttpURL, Request, type RequestData } from "./request.ts";
import type { addinfourl, ResponseFor } from "./response.ts";
import { HTTPHandler, HTTPSHandler } from "./http_handler.ts";
import {
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
} from "./error_handlers.ts";
import { HTTPRedirectHandler } from "./redirect_handler.ts";
import { ProxyHandler } from "./proxy_handler.ts";
import { FileHandler } from "./file_handler.ts";
import { DataHandler } from "./data_handler.ts";
import { UnknownHandler } from "./unknown_handler.ts";
import type { SSLContext } from "./ssl_context.ts";

/** The version string Python's urllib puts in its User-Agent. */
export const __version__ = "3.13";

// Python's dir() also reports these; they match the naming pattern by accident.
const NOT_DISPATCHED = new Set(["redirect_request", "do_open", "proxy_open"]);

/** Handlers by scheme, protocol, status code or kind, each list in `handler_order`. */
export type Chain = Map<string | number, BaseHandler[]>;
type HandlerMethod = (...args: unknown[]) => unknown;

/** Every method name on `handler`, own and inherited, sorted as Python's `dir()`. */
function methodNames(handler: BaseHandler): string[] {
  const names = new Set<string>();
  for (
    let obj: object | null = handler;
    obj && obj !== Object.prototype;
    obj = Object.getPrototypeOf(obj)
  ) {
    for (const name of Object.getOwnPropertyNames(obj)) {
      if (name === "constructor") continue;
      const desc = Object.getOwnPropertyDescriptor(obj, name);
      if (desc && typeof desc.value === "function") names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * Inserts after handlers of equal order by Python's `bisect.insort`: a
 * binary search, so a list whose orders changed after insertion places new
 * handlers where Python's does.
 */
function insort(list: BaseHandler[], handler: BaseHandler): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (handler.handler_order < (list[mid] as BaseHandler).handler_order) {
      hi = mid;
    } else lo = mid + 1;
  }
  list.splice(lo, 0, handler);
}

function method(handler: BaseHandler, name: string): HandlerMethod {
  const fn = (handler as unknown as Record<string, unknown>)[name];
  return (fn as HandlerMethod).bind(handler);
}

/**
 * What `urlopen` and `OpenerDirector.open` take: a URL or a
 * {@linkcode Request}. `HttpURL` is named so that a template string such as
 * `` `http://127.0.0.1:${port}/` `` keeps its scheme in its type, which
 * makes the result an `HTTPResponse` (see {@linkcode ResponseFor}).
 */
export type Openable = HttpURL | string | Request<HttpURL | string>;

/** The optional arguments of `OpenerDirector.open` and `urlopen`. */
export interface OpenOptions {
  /** A body to send (makes the request a POST). */
  data?: RequestData | null;
  /** Seconds for connecting and for each read; `null` waits forever. */
  timeout?: number | null;
  /**
   * Not in Python (keyword only): cancels the request when it aborts,
   * at any point (connecting, TLS, sending, the headers, the body, and
   * every redirect or retry on the way). The socket is closed and the call,
   * or a later `read()` of the response, rejects with a `URLError` whose
   * `reason` is `signal.reason`. `AbortSignal.timeout(ms)` gives a total
   * deadline, which `timeout` (per read) does not.
   */
  signal?: AbortSignal | null;
}

/**
 * Python's `urllib.request.OpenerDirector`: holds handlers and runs each
 * request through them, discovering their methods by name exactly as
 * Python does (see {@linkcode BaseHandler}).
 *
 * `open` is async; handler methods may be sync or async.
 *
 * @example An opener with one custom handler
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { addinfourl, BaseHandler, OpenerDirector, Request } from "@pyport/web/urllib/request";
 * class Echo extends BaseHandler {
 *   echo_open(req: Request) {
 *     return new addinfourl(new TextEncoder().encode(req.selector), null, req.full_url, 200);
 *   }
 * }
 * const opener = new OpenerDirector();
 * opener.add_handler(new Echo());
 * const resp = await opener.open("echo:hello");
 * assert(new TextDecoder().decode(await resp.read()) === "hello");
 * ```
 */
export class OpenerDirector {
  /** Headers added to every request that lacks them. */
  addheaders: [string, string][] = [[
    "User-agent",
    `Python-urllib/${__version__}`,
  ]];
  /** The handlers, in order (kept for compatibility, as in Python). */
  handlers: BaseHandler[] = [];
  /** `<scheme>_open` handlers by scheme (plus `default` and `unknown`). */
  handle_open: Chain = new Map();
  /** `<protocol>_error_*` handlers by protocol, then by code or kind. */
  handle_error: Map<string, Chain> = new Map();
  /** `<protocol>_response` processors by protocol. */
  process_response: Chain = new Map();
  /** `<protocol>_request` processors by protocol. */
  process_request: Chain = new Map();

  /** Registers every dispatchable method of `handler` and calls its `add_parent`. */
  add_handler(handler: BaseHandler): void {
    if (
      handler === null || typeof handler !== "object" ||
      typeof (handler as { add_parent?: unknown }).add_parent !== "function"
    ) {
      throw new TypeError(
        `expected BaseHandler instance, got ${typeof handler}`,
      );
    }
    let added = false;
    for (const meth of methodNames(handler)) {
      if (NOT_DISPATCHED.has(meth)) continue;
      const i = meth.indexOf("_");
      if (i < 0) continue;
      const protocol = meth.slice(0, i);
      const condition = meth.slice(i + 1);
      let lookup: Chain;
      let kind: string | number;
      if (condition.startsWith("error")) {
        const j = condition.indexOf("_") + i + 1;
        const kindText = meth.slice(j + 1);
        // Python: try int(kind), else the text.
        kind = pyInt(kindText) ?? kindText;
        let chain = this.handle_error.get(protocol);
        if (!chain) this.handle_error.set(protocol, chain = new Map());
        lookup = chain;
      } else if (condition === "open") {
        kind = protocol;
        lookup = this.handle_open;
      } else if (condition === "response") {
        kind = protocol;
        lookup = this.process_response;
      } else if (condition === "request") {
        kind = protocol;
        lookup = this.process_request;
      } else {
        continue;
      }
      let list = lookup.get(kind);
      if (!list) lookup.set(kind, list = []);
      insort(list, handler);
      added = true;
    }
    if (added) {
      insort(this.handlers, handler);
      handler.add_parent(this);
    }
  }

  /** Closes nothing (kept for compatibility, as in Python). */
  close(): void {}

  /** Python's `_call_chain`: the first handler returning a non-null result wins. */
  async _call_chain(
    chain: Chain,
    kind: string | number,
    methName: string,
    ...args: unknown[]
  ): Promise<unknown> {
    for (const handler of chain.get(kind) ?? []) {
      const result = await method(handler, methName)(...args);
      if (result !== null && result !== undefined) return result;
    }
    return null;
  }

  /**
   * Opens a URL or {@linkcode Request}: runs the `<protocol>_request`
   * processors, the open chain (`default_open`, `<scheme>_open`,
   * `unknown_open`), then the `<protocol>_response` processors.
   * When no handler answers at all it throws `URLError` (Python would
   * return `None`).
   */
  open<U extends Openable>(
    fullurl: U,
    options?: OpenOptions,
  ): Promise<ResponseFor<U>>;
  /** Python's positional form. */
  open<U extends Openable>(
    fullurl: U,
    data?: RequestData | null,
    timeout?: number | null,
  ): Promise<ResponseFor<U>>;
  /** Some arguments by position, the rest as keywords: `open(url, data, { timeout })`. */
  open<U extends Openable>(
    fullurl: U,
    ...args: MixedArgs<
      [data?: RequestData | null, timeout?: number | null],
      OpenOptions,
      ["data", "timeout"]
    >
  ): Promise<ResponseFor<U>>;
  async open(
    fullurl: string | Request,
    ...args: unknown[]
  ): Promise<addinfourl> {
    const { data, timeout, signal } = pyArgs({
      fn: "open",
      names: ["data", "timeout"] as const,
      keywordOnly: ["signal"] as const,
      defaults: { data: null, timeout: null, signal: null } as {
        data: RequestData | null;
        timeout: number | null;
        signal: AbortSignal | null;
      },
    }, args);
    if (signal?.aborted) throw new URLError(signal.reason);
    let req: Request;
    if (typeof fullurl === "string") {
      req = new Request(fullurl, data);
    } else if (fullurl instanceof globalThis.Request) {
      // Deno's global `Request` is fetch's: a Python user who writes
      // `new Request(url, data, headers)` without importing urllib's gets it.
      throw new TypeError(
        "open() takes a URL string or urllib's Request, not the fetch API's " +
          'Request: import { Request } from "@pyport/web/urllib/request"',
      );
    } else {
      req = fullurl;
      if (data !== null) req.data = data;
    }
    req.timeout = timeout;
    req.signal = signal;
    const protocol = req.type;
    for (const processor of this.process_request.get(protocol) ?? []) {
      req = await method(processor, `${protocol}_request`)(req) as Request;
    }
    // A processor that forgot to return the request: Python fails here,
    // reading the URL for its audit hook, before any handler opens it.
    if (req === null || req === undefined) {
      throw new TypeError("'NoneType' object has no attribute 'full_url'");
    }
    let response = await this._open(req, data);
    for (const processor of this.process_response.get(protocol) ?? []) {
      response = await method(processor, `${protocol}_response`)(
        req,
        response,
      ) as addinfourl;
    }
    return response;
  }

  /** Python's `_open`: the `default`, `<scheme>`, `unknown` open chains in turn. */
  async _open(
    req: Request,
    _data: RequestData | null = null,
  ): Promise<addinfourl> {
    const first = await this._call_chain(
      this.handle_open,
      "default",
      "default_open",
      req,
    );
    if (first) return first as addinfourl;
    const protocol = req.type;
    const own = await this._call_chain(
      this.handle_open,
      protocol,
      `${protocol}_open`,
      req,
    );
    if (own) return own as addinfourl;
    const last = await this._call_chain(
      this.handle_open,
      "unknown",
      "unknown_open",
      req,
    );
    if (last) return last as addinfourl;
    throw new URLError(`unknown url type: ${protocol}`);
  }

  /**
   * Python's `error(proto, *args)`. For `http`/`https`, `args` are
   * `(req, fp, code, msg, hdrs)`: `http_error_<code>` handlers run, then
   * `http_error_default`.
   */
  async error(proto: string, ...args: unknown[]): Promise<unknown> {
    if (proto === "http" || proto === "https") {
      const chain = this.handle_error.get("http");
      // Python's KeyError: an opener without any http_error handler.
      if (chain === undefined) {
        throw new RangeError("no http_error handlers: 'http'");
      }
      const code = args[2] as number;
      const result = await this._call_chain(
        chain,
        code,
        `http_error_${code}`,
        ...args,
      );
      if (result) return result;
      return await this._call_chain(
        chain,
        "default",
        "http_error_default",
        ...args,
      );
    }
    const chain = new Map(
      [...this.handle_error].map(([k, v]) => [k, [...v.values()].flat()]),
    ) as Chain;
    return await this._call_chain(chain, proto, `${proto}_error`, ...args);
  }
}

/** A handler class (built with no arguments) or a handler instance. */
export type HandlerSpec = BaseHandler | (new () => BaseHandler);

const DEFAULT_CLASSES: (new () => BaseHandler)[] = [
  ProxyHandler,
  UnknownHandler,
  HTTPHandler,
  HTTPDefaultErrorHandler,
  HTTPRedirectHandler,
  FileHandler,
  HTTPErrorProcessor,
  DataHandler,
  HTTPSHandler,
];

/**
 * Python's `build_opener(*handlers)`: an opener with the default handlers,
 * where each given class or instance replaces the default it is (or
 * extends).
 *
 * @example Replacing the redirect handler
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { build_opener, HTTPRedirectHandler } from "@pyport/web/urllib/request";
 * class NoRedirect extends HTTPRedirectHandler {
 *   override redirect_request() { return null; }
 * }
 * const opener = build_opener(NoRedirect);
 * assert(opener.handlers.filter((h) => h instanceof HTTPRedirectHandler).length === 1);
 * ```
 */
export function build_opener(...handlers: HandlerSpec[]): OpenerDirector {
  const opener = new OpenerDirector();
  const skip = new Set<new () => BaseHandler>();
  for (const klass of DEFAULT_CLASSES) {
    for (const check of handlers) {
      if (typeof check === "function") {
        if (check === klass || check.prototype instanceof klass) {
          skip.add(klass);
        }
      } else if (check instanceof klass) {
        skip.add(klass);
      }
    }
  }
  for (const klass of DEFAULT_CLASSES) {
    if (!skip.has(klass)) opener.add_handler(new klass());
  }
  for (const h of handlers) {
    opener.add_handler(typeof h === "function" ? new h() : h);
  }
  return opener;
}

/**
 * What `install_opener` takes: anything with Python's `open` (an
 * `OpenerDirector`, or a stand-in a test installs), as Python stores
 * whatever it is given.
 */
export interface InstallableOpener {
  /** Opens `url` as `OpenerDirector.open` does. */
  open(
    url: string | Request,
    data?: RequestData | null,
    timeout?: number | null,
    options?: { signal?: AbortSignal | null },
  ): Promise<addinfourl>;
}

let installed: InstallableOpener | null = null;

/**
 * Python's `install_opener(opener)`: makes `opener` the one `urlopen` uses.
 *
 * @example
 * ```ts
 * import { equal, rejects } from "node:assert/strict";
 * import {
 *   addinfourl,
 *   BaseHandler,
 *   build_opener,
 *   install_opener,
 *   type Request,
 *   urlopen,
 * } from "@pyport/web/urllib/request";
 * import { URLError } from "@pyport/web/urllib/error";
 * class HelloHandler extends BaseHandler {
 *   hello_open(req: Request) {
 *     return new addinfourl(new TextEncoder().encode("hi"), null, req.full_url);
 *   }
 * }
 * install_opener(build_opener(HelloHandler));
 * await using resp = await urlopen("hello:world");
 * equal(new TextDecoder().decode(await resp.read()), "hi");
 * install_opener(null); // back to the default opener
 * await rejects(urlopen("hello:world"), URLError);
 * ```
 */
export function install_opener(opener: InstallableOpener | null): void {
  if (
    opener !== null &&
    typeof (opener as Partial<InstallableOpener>).open !== "function"
  ) {
    throw new TypeError("opener must have an open() method");
  }
  installed = opener;
}

/** The optional arguments of {@linkcode urlopen}. */
export interface UrlopenOptions extends OpenOptions {
  /** A TLS context for `https:` URLs (for example one trusting a test CA). */
  context?: SSLContext | null;
}

/**
 * Python's `urlopen(url, data=None, timeout, *, context=None)`, plus a
 * keyword-only `signal`. Resolves to an {@linkcode HTTPResponse} for
 * HTTP(S) and an {@linkcode addinfourl} for other schemes; throws
 * `HTTPError` for error statuses.
 *
 * Python's User-Agent (`Python-urllib/3.13`), `Accept-Encoding: identity`
 * and `Connection: close` are sent; bodies are never decompressed.
 *
 * `timeout` bounds connecting and each read (as in Python, a server that
 * sends a byte now and then never trips it; `timeout: 0` means a
 * non-blocking socket, which cannot connect: `URLError` whose reason is a
 * `Deno.errors.WouldBlock`, Python's `BlockingIOError`). `signal` bounds the
 * whole exchange: see {@linkcode OpenOptions.signal}.
 *
 * @example Opening a data: URL
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlopen } from "@pyport/web/urllib/request";
 * await using resp = await urlopen("data:,Hello%2C%20World!");
 * assert(new TextDecoder().decode(await resp.read()) === "Hello, World!");
 * ```
 *
 * @example A total deadline with an AbortSignal
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { URLError } from "@pyport/web/urllib/error";
 * import { urlopen } from "@pyport/web/urllib/request";
 * // A server that accepts connections and never answers.
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const url = `http://127.0.0.1:${listener.addr.port}/`;
 * const signal = AbortSignal.timeout(200);
 * try {
 *   await urlopen(url, { signal });
 *   assert(false, "no answer was expected");
 * } catch (e) {
 *   assert(e instanceof URLError && e.reason === signal.reason);
 *   assert((e.reason as DOMException).name === "TimeoutError");
 * }
 * ```
 */
export function urlopen<U extends Openable>(
  url: U,
  options?: UrlopenOptions,
): Promise<ResponseFor<U>>;
/** Python's positional form. */
export function urlopen<U extends Openable>(
  url: U,
  data?: RequestData | null,
  timeout?: number | null,
): Promise<ResponseFor<U>>;
/**
 * Some arguments by position, the rest as keywords:
 * `urlopen(url, data, 5, { context })`.
 */
export function urlopen<U extends Openable>(
  url: U,
  ...args: MixedArgs<
    [data?: RequestData | null, timeout?: number | null],
    UrlopenOptions,
    ["data", "timeout"]
  >
): Promise<ResponseFor<U>>;
export function urlopen(
  url: string | Request,
  ...args: unknown[]
): Promise<addinfourl> {
  const { data, timeout, context, signal } = pyArgs({
    fn: "urlopen",
    names: ["data", "timeout"] as const,
    keywordOnly: ["context", "signal"] as const,
    defaults: { data: null, timeout: null, context: null, signal: null } as {
      data: RequestData | null;
      timeout: number | null;
      context: SSLContext | null;
      signal: AbortSignal | null;
    },
  }, args);
  let opener: InstallableOpener;
  if (context) {
    opener = build_opener(new HTTPSHandler({ context }));
  } else {
    installed ??= build_opener();
    opener = installed;
  }
  return opener.open(url, data, timeout, { signal });
}
