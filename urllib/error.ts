/**
 * Python's `urllib.error`: the exceptions `urlopen` throws, with Python's
 * class names as each error's `name`.
 *
 * Also home to the `http.client` / built-in exceptions a Python programmer
 * catches around `urlopen` ({@linkcode HTTPException} and its subclasses
 * {@linkcode InvalidURL}, {@linkcode IncompleteRead},
 * {@linkcode BadStatusLine}, {@linkcode LineTooLong},
 * {@linkcode UnknownProtocol}, {@linkcode RemoteDisconnected}; and
 * {@linkcode TimeoutError}), since this package has no `http.client` module.
 *
 * Follows CPython 3.13 `Lib/urllib/error.py`, and `Lib/http/client.py`'s
 * `InvalidURL`, `IncompleteRead`, `RemoteDisconnected` and `BadStatusLine`.
 *
 * @example Catching an HTTP error and reading its body
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPError, URLError } from "@pyport/web/urllib/error";
 * import { HTTPMessage } from "@pyport/web/urllib/request";
 * const err = new HTTPError("http://h/x", 404, "Not Found", new HTTPMessage(), null);
 * assert(err instanceof URLError && err.code === 404);
 * assert(String(err) === "HTTPError: HTTP Error 404: Not Found");
 * assert((await err.read()).length === 0);
 * ```
 *
 * @module
 */
import { getheader, type HTTPMessage } from "../_util/http_message.ts";
import { ownedBytes } from "../_util/bytes_like.ts";
import { optionalArg, pyArgs } from "../_util/py_args.ts";
import { pyStr } from "../_util/py_repr.ts";
export type { HTTPMessage };

/**
 * Python's `urllib.error.URLError`: a URL could not be opened. `reason` is
 * a message or the underlying error (for example a `Deno.errors.ConnectionRefused`
 * or a {@linkcode TimeoutError}).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { URLError } from "@pyport/web/urllib/error";
 * const err = new URLError("unknown url type: foo");
 * assert(err.name === "URLError");
 * assert(err.filename === null);
 * assert(new URLError("gone", { filename: "/tmp/x" }).filename === "/tmp/x");
 * assert(err.message === "<urlopen error unknown url type: foo>");
 * ```
 */
export class URLError extends Error {
  #reason: unknown;
  /** The file name or URL involved, or `null` (Python's `None`) when unknown. */
  filename: string | null;

  /** Creates the error; `filename` is optional as in Python. */
  constructor(reason: unknown, filename?: string | null);
  /** `filename` given as a keyword. */
  constructor(reason: unknown, options: { filename?: string | null });
  constructor(reason: unknown, ...args: unknown[]) {
    super(
      `<urlopen error ${describe(reason)}>`,
      reason instanceof Error ? { cause: reason } : undefined,
    );
    this.name = "URLError";
    this.#reason = reason;
    this.filename = pyArgs({
      fn: "URLError",
      names: ["filename"] as const,
      defaults: { filename: null as string | null },
    }, args).filename;
  }

  /** The reason for the failure: a message or the original error. */
  get reason(): unknown {
    return this.#reason;
  }
  set reason(value: unknown) {
    this.#reason = value;
  }
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return pyStr(reason);
}

/**
 * The body source an {@linkcode HTTPError} reads from: any urllib response
 * (the object `urlopen` returns) fits.
 */
export interface ErrorBody {
  /** Reads up to `amt` bytes, or everything when `amt` is omitted. */
  read(amt?: number | null): Promise<Uint8Array>;
  /** Reads one line, `\n` included. */
  readline(limit?: number | null): Promise<Uint8Array>;
  /** Releases the connection. */
  close(): void | Promise<void>;
  /** Reads the remaining lines (a response's; see `addinfourl`). */
  readlines?(hint?: number | null): Promise<Uint8Array[]>;
  /** Reads into `b`, resolving to the count. */
  readinto?(b: Uint8Array): Promise<number>;
  /** The remaining lines, one by one. */
  [Symbol.asyncIterator]?(): AsyncIterator<Uint8Array>;
  /** Whether `close()` was called (kept by the error when absent). */
  readonly closed?: boolean;
  /** An HTTP response's: whether its connection is done with. */
  isclosed?(): boolean;
  /** An HTTP response's protocol version: 10 or 11. */
  readonly version?: number;
  /** An HTTP response's body bytes still to come, `null` when unknown. */
  readonly length?: number | null;
  /** Whether an HTTP response's body is framed in chunks. */
  readonly chunked?: boolean;
}

/**
 * The body of an error made without one: Python's empty `BytesIO`, which
 * refuses reads once closed (Python's `ValueError`).
 */
function emptyBody(): ErrorBody {
  let closed = false;
  const answer = <T>(value: T): Promise<T> =>
    closed
      ? Promise.reject(new TypeError("I/O operation on closed file."))
      : Promise.resolve(value);
  return {
    read: () => answer(new Uint8Array(0)),
    readline: () => answer(new Uint8Array(0)),
    readlines: () => answer([]),
    readinto: () => answer(0),
    [Symbol.asyncIterator]: () => ({
      next: () => answer({ done: true, value: undefined }),
    }),
    close: () => void (closed = true),
    get closed() {
      return closed;
    },
  };
}

/** The lines of `lines`, each as `ownedBytes` makes it. */
async function* ownedLines(
  lines: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    yield ownedBytes(line);
  }
}

/** `body`'s method `name`, or Python's `AttributeError` as a `TypeError`. */
function method<
  K extends "readlines" | "readinto" | typeof Symbol.asyncIterator,
>(
  body: ErrorBody,
  name: K,
): NonNullable<ErrorBody[K]> {
  const found = body[name];
  if (found === undefined) {
    throw new TypeError(`the error's body has no ${String(name)}()`);
  }
  return found.bind(body) as NonNullable<ErrorBody[K]>;
}

/**
 * Python's `urllib.error.HTTPError`: the server answered with an error
 * status. It is also a readable response (`code`, `reason`, `headers`,
 * `read()`, `getcode()`, `geturl()`, `info()`), as in Python.
 *
 * @example Reading the error page
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPError } from "@pyport/web/urllib/error";
 * import { HTTPMessage } from "@pyport/web";
 * const body = new TextEncoder().encode("gone");
 * let done = false;
 * const fp = {
 *   read: () => Promise.resolve(done ? new Uint8Array(0) : (done = true, body)),
 *   readline: () => Promise.resolve(new Uint8Array(0)),
 *   close: () => {},
 * };
 * const err = new HTTPError("http://h/x", 410, "Gone", new HTTPMessage(), fp);
 * assert(err.reason === "Gone" && err.getcode() === 410);
 * assert(new TextDecoder().decode(await err.read()) === "gone");
 * ```
 */
export class HTTPError extends URLError {
  /** The HTTP status code. */
  code: number;
  /** The reason phrase the server sent. */
  msg: string;
  /**
   * The response headers (Python's `hdrs`; `headers` is the same object).
   * Typed as the headers every error urllib raises carries; an error built
   * by hand with `null` (Python's `None`) keeps it, untyped.
   */
  hdrs: HTTPMessage;
  /** The response the body is read from, or `null` when there is none. */
  fp: ErrorBody | null;
  /** The URL that failed. */
  url: string;
  #closed = false;
  /** What it reads once `fp` is set to `null`: an empty body of its own. */
  #empty: ErrorBody | null = null;

  /**
   * `new HTTPError(url, code, msg, hdrs, fp)`, as in Python; `hdrs` may be
   * `null` (Python's `None`), as handlers that raise it pass what they got.
   */
  constructor(
    url: string,
    code: number,
    msg: string,
    hdrs: HTTPMessage | null,
    fp: ErrorBody | null,
  ) {
    super(msg, url);
    this.message = `HTTP Error ${pyStr(code)}: ${pyStr(msg)}`;
    this.name = "HTTPError";
    this.code = code;
    this.msg = msg;
    // Typed as every error urllib raises has it (see `hdrs`).
    this.hdrs = hdrs as HTTPMessage;
    // As Python's: an error made without a body reads an empty one.
    this.fp = fp ?? emptyBody();
    this.url = url;
  }

  /**
   * The reason phrase: `msg`, read-only as Python's property (assigning
   * it is a `TypeError`, Python's `AttributeError`; assign `msg`).
   */
  override get reason(): string {
    return this.msg;
  }

  /** The response headers. */
  get headers(): HTTPMessage {
    return this.hdrs;
  }
  set headers(value: HTTPMessage) {
    this.hdrs = value;
  }

  /** The status code, as `status` on a response. */
  get status(): number {
    return this.code;
  }

  /** Python's `getcode()`. */
  getcode(): number {
    return this.code;
  }

  /** Python's `geturl()`. */
  geturl(): string {
    return this.url;
  }

  /** Python's `info()`: the headers. */
  info(): HTTPMessage {
    return this.hdrs;
  }

  /** Reads up to `amt` bytes of the error body (all of it by default). */
  read(amt?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return (this.#body()).read(amt).then(ownedBytes);
  }

  /** Reads one line of the error body. */
  readline(limit?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return (this.#body()).readline(limit).then(ownedBytes);
  }

  /** Reads the remaining lines of the error body, as its response does. */
  readlines(hint: number | null = null): Promise<Uint8Array<ArrayBuffer>[]> {
    return method(this.#body(), "readlines")(hint)
      .then((lines) => lines.map(ownedBytes));
  }

  /** Reads into `b`, resolving to the count (0 at the end). */
  readinto(b: Uint8Array): Promise<number> {
    return method(this.#body(), "readinto")(b);
  }

  /** `for await (const line of err)`: the error body's lines. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array<ArrayBuffer>> {
    return ownedLines(method(this.#body(), Symbol.asyncIterator)());
  }

  #body(): ErrorBody {
    return this.fp ?? (this.#empty ??= emptyBody());
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.fp?.closed ?? this.#closed;
  }

  // What Python's HTTPError passes through to its response (`addinfourl`
  // hands unknown attributes to the file it wraps).

  /**
   * A header's value, repeats joined with `", "` (http.client's
   * `getheader`), by position or as `{ default }`; a list default is
   * joined so too.
   */
  getheader(
    name: string,
    default_?: string | Iterable<string> | null,
  ): string | null;
  /** Keyword form: `getheader(name, { default })`. */
  getheader(
    name: string,
    options: { default?: string | Iterable<string> | null },
  ): string | null;
  /** Any other default comes back as it is, as in Python. */
  getheader<T>(name: string, default_: T): string | T;
  getheader(name: string, ...args: unknown[]): unknown {
    const fallback = optionalArg<unknown>("getheader", "default", null, args);
    return getheader(this.headers, name, fallback);
  }

  /** Every header as `[name, value]`, in the order received. */
  getheaders(): [string, string][] {
    return this.headers?.items() ?? [];
  }

  /** Whether the response's connection is done with (its `isclosed()`). */
  isclosed(): boolean {
    return this.fp?.isclosed?.() ?? this.closed;
  }

  /** The response's HTTP version (10 or 11); `null` without a response. */
  get version(): number | null {
    return this.fp?.version ?? null;
  }

  /** The response's body bytes still to come; `null` when unknown. */
  get length(): number | null {
    return this.fp?.length ?? null;
  }

  /** Whether the response's body is framed in chunks (its `chunked`). */
  get chunked(): boolean {
    return this.fp?.chunked ?? false;
  }

  /** Closes the underlying response. */
  async close(): Promise<void> {
    this.#closed = true;
    await (this.#body()).close();
  }

  /** `await using err` closes the response. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Python's `urllib.error.ContentTooShortError`: `urlretrieve` got fewer
 * bytes than `Content-Length` announced. `content` is the
 * `[filename, headers]` pair that was downloaded.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { ContentTooShortError, URLError } from "@pyport/web/urllib/error";
 * const err = new ContentTooShortError("retrieval incomplete", ["f", null]);
 * assert(err instanceof URLError && err.name === "ContentTooShortError");
 * ```
 */
export class ContentTooShortError extends URLError {
  /** What was retrieved: `[filename, headers]`. */
  content: unknown;

  /** `new ContentTooShortError(message, content)`, as in Python. */
  constructor(message: string, content: unknown) {
    super(message);
    this.name = "ContentTooShortError";
    this.content = content;
  }
}

// JavaScript classes have one parent, but some of Python's exceptions have
// two (InvalidURL is a TypeError here by the package's ValueError rule;
// RemoteDisconnected is a ConnectionReset). These tables make
// `instanceof` answer as Python's isinstance would for them.
type ErrorClass = abstract new (...args: never[]) => Error;
const extraSubclasses = new Map<ErrorClass, ErrorClass[]>();
const ownInstanceOf = Function.prototype[Symbol.hasInstance];

function isInstance(cls: ErrorClass, value: unknown): boolean {
  if (ownInstanceOf.call(cls, value)) return true;
  return (extraSubclasses.get(cls) ?? []).some((sub) =>
    ownInstanceOf.call(sub, value)
  );
}

function registerSubclass(parent: ErrorClass, child: ErrorClass): void {
  const list = extraSubclasses.get(parent) ?? [];
  list.push(child);
  extraSubclasses.set(parent, list);
}

/**
 * Python's `http.client.HTTPException`: the base of every error about the
 * HTTP exchange itself ({@linkcode BadStatusLine}, {@linkcode LineTooLong},
 * {@linkcode UnknownProtocol}, {@linkcode IncompleteRead},
 * {@linkcode RemoteDisconnected}, {@linkcode InvalidURL}). Thrown bare (not
 * wrapped in a {@linkcode URLError}) when the server's answer cannot be
 * read, for example `got more than 100 headers`.
 *
 * @example Every http.client error is an HTTPException
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import {
 *   HTTPException,
 *   InvalidURL,
 *   LineTooLong,
 *   RemoteDisconnected,
 * } from "@pyport/web/urllib/error";
 * assert(new LineTooLong("header line") instanceof HTTPException);
 * assert(new RemoteDisconnected() instanceof HTTPException);
 * assert(new InvalidURL("bad port") instanceof HTTPException);
 * assert(new HTTPException("got more than 100 headers").name === "HTTPException");
 * ```
 */
export class HTTPException extends Error {
  /** Creates the error. */
  constructor(message = "") {
    super(message);
    this.name = "HTTPException";
  }

  /** `instanceof` as Python's `isinstance`, for the classes with two parents. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, value);
  }
}

/**
 * Python's `http.client.InvalidURL`: a URL that cannot be sent (a control
 * character, a raw space, a bad port). A `TypeError`, following this
 * package's mapping of Python's `ValueError`-like failures, and also an
 * {@linkcode HTTPException} for `instanceof`, as in Python.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPException, InvalidURL } from "@pyport/web/urllib/error";
 * const err = new InvalidURL("URL can't contain control characters.");
 * assert(err instanceof TypeError && err.name === "InvalidURL");
 * assert(err instanceof HTTPException);
 * ```
 */
export class InvalidURL extends TypeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidURL";
  }
}
registerSubclass(HTTPException, InvalidURL);

/**
 * Python's `http.client.IncompleteRead`: the connection ended before the
 * body was complete. `partial` holds the bytes this read received (for a
 * chunked body: its complete chunks), and `expected` how many more a
 * `Content-Length` announced (`null` for chunked bodies), as in Python.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPException, IncompleteRead } from "@pyport/web/urllib/error";
 * const err = new IncompleteRead(new Uint8Array(3), 7);
 * assert(err.message === "IncompleteRead(3 bytes read, 7 more expected)");
 * assert(err instanceof HTTPException);
 * ```
 */
export class IncompleteRead extends HTTPException {
  /** The bytes read before the connection ended. */
  partial: Uint8Array;
  /** How many more bytes were expected, when known. */
  expected: number | null;

  /** Creates the error. */
  constructor(partial: Uint8Array, expected?: number | null);
  /** Keyword form: `new IncompleteRead(partial, { expected })`. */
  constructor(partial: Uint8Array, options: { expected?: number | null });
  constructor(partial: Uint8Array, ...args: unknown[]) {
    const expected = optionalArg<number | null>(
      "IncompleteRead",
      "expected",
      null,
      args,
    );
    const more = expected === null ? "" : `, ${expected} more expected`;
    super(`IncompleteRead(${partial.length} bytes read${more})`);
    this.name = "IncompleteRead";
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * Python's `http.client.BadStatusLine`: the server's first line is not an
 * HTTP status line (`HTTP/1.1 200 OK`), or its code is outside 100–999.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BadStatusLine, HTTPException } from "@pyport/web/urllib/error";
 * const err = new BadStatusLine("SSH-2.0");
 * assert(err.name === "BadStatusLine" && err.line === "SSH-2.0");
 * assert(err instanceof HTTPException);
 * ```
 */
export class BadStatusLine extends HTTPException {
  /** The offending line; `''` (quoted, as Python's repr) when it was empty. */
  line: string;
  /** Creates the error. */
  constructor(line: string) {
    const shown = line === "" ? "''" : line;
    super(shown);
    this.name = "BadStatusLine";
    this.line = shown;
  }
}

/**
 * Python's `http.client.LineTooLong`: a status, header, chunk-size or
 * trailer line longer than 65,536 bytes.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { LineTooLong } from "@pyport/web/urllib/error";
 * const err = new LineTooLong("header line");
 * assert(err.message === "got more than 65536 bytes when reading header line");
 * ```
 */
export class LineTooLong extends HTTPException {
  /** Creates the error for the kind of line being read (`"header line"`). */
  constructor(line_type: string) {
    super(`got more than 65536 bytes when reading ${line_type}`);
    this.name = "LineTooLong";
  }
}

/**
 * Python's `http.client.UnknownProtocol`: the status line names an HTTP
 * version other than 0.9 and 1.x (`HTTP/2.0`, `HTTP/x`).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { UnknownProtocol } from "@pyport/web/urllib/error";
 * const err = new UnknownProtocol("HTTP/2.0");
 * assert(err.version === "HTTP/2.0" && err.message === "HTTP/2.0");
 * ```
 */
export class UnknownProtocol extends HTTPException {
  /** The version the server named. */
  version: string;
  /** Creates the error. */
  constructor(version: string) {
    super(version);
    this.name = "UnknownProtocol";
    this.version = version;
  }
}

/**
 * Python's `http.client.RemoteDisconnected`: the server closed the
 * connection without sending a status line. A
 * `Deno.errors.ConnectionReset`, as Python's is a `ConnectionResetError`,
 * and also a {@linkcode BadStatusLine} (so an {@linkcode HTTPException})
 * for `instanceof`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BadStatusLine, RemoteDisconnected } from "@pyport/web/urllib/error";
 * assert(new RemoteDisconnected() instanceof Deno.errors.ConnectionReset);
 * assert(new RemoteDisconnected() instanceof BadStatusLine);
 * ```
 */
export class RemoteDisconnected extends Deno.errors.ConnectionReset {
  /** Python's `line` attribute: the empty line, quoted. */
  line = "''";
  /** Creates the error with Python's message. */
  constructor(message = "Remote end closed connection without response") {
    super(message);
    this.name = "RemoteDisconnected";
  }
}
registerSubclass(HTTPException, RemoteDisconnected);
registerSubclass(BadStatusLine, RemoteDisconnected);

/**
 * Python's built-in `TimeoutError` ("timed out"): a connect or a read took
 * longer than `timeout`. It is also a `Deno.errors.TimedOut`, so Deno code
 * catches it as it catches other socket timeouts. Connection timeouts arrive
 * wrapped in a {@linkcode URLError}, read timeouts bare, as in Python.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { TimeoutError } from "@pyport/web/urllib/error";
 * const err = new TimeoutError();
 * assert(err instanceof Deno.errors.TimedOut && err.message === "timed out");
 * ```
 */
export class TimeoutError extends Deno.errors.TimedOut {
  /** Creates the error; the message defaults to Python's "timed out". */
  constructor(message = "timed out") {
    super(message);
    this.name = "TimeoutError";
  }
}
