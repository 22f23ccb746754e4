/**
 * Python's `urllib.error`: the exceptions `urlopen` throws, with Python's
 * class names as each error's `name`.
 *
 * Also home to the few `http.client` / built-in exceptions a Python
 * programmer catches around `urlopen` ({@linkcode InvalidURL},
 * {@linkcode IncompleteRead}, {@linkcode TimeoutError}), since this package
 * has no `http.client` module.
 *
 * Follows CPython 3.13 `Lib/urllib/error.py`, and `Lib/http/client.py`'s
 * `InvalidURL`, `IncompleteRead`, `RemoteDisconnected` and `BadStatusLine`.
 *
 * @example Catching an HTTP error and reading its body
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPError, URLError } from "@pyport/web/urllib/error";
 * const err = new HTTPError("http://h/x", 404, "Not Found", null, null);
 * assert(err instanceof URLError && err.code === 404);
 * assert(String(err) === "HTTPError: HTTP Error 404: Not Found");
 * assert((await err.read()).length === 0);
 * ```
 *
 * @module
 */
import type { HTTPMessage } from "../_util/http_message.ts";
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
 * assert(err.message === "<urlopen error unknown url type: foo>");
 * ```
 */
export class URLError extends Error {
  #reason: unknown;
  /** The file name or URL involved, when known. */
  filename?: string;

  /** Creates the error; `filename` is optional as in Python. */
  constructor(reason: unknown, filename?: string | null) {
    super(
      `<urlopen error ${describe(reason)}>`,
      reason instanceof Error ? { cause: reason } : undefined,
    );
    this.name = "URLError";
    this.#reason = reason;
    if (filename !== undefined && filename !== null) this.filename = filename;
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
  return String(reason);
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
}

const EMPTY_BODY: ErrorBody = {
  read: () => Promise.resolve(new Uint8Array(0)),
  readline: () => Promise.resolve(new Uint8Array(0)),
  close: () => {},
};

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
  /** The response headers (Python's `hdrs`; `headers` is the same object). */
  hdrs: HTTPMessage | null;
  /** The response the body is read from, or `null` when there is none. */
  fp: ErrorBody | null;
  /** The URL that failed. */
  url: string;

  /** `new HTTPError(url, code, msg, hdrs, fp)`, as in Python. */
  constructor(
    url: string,
    code: number,
    msg: string,
    hdrs: HTTPMessage | null,
    fp: ErrorBody | null,
  ) {
    super(msg, url);
    this.message = `HTTP Error ${code}: ${msg}`;
    this.name = "HTTPError";
    this.code = code;
    this.msg = msg;
    this.hdrs = hdrs;
    this.fp = fp;
    this.url = url;
  }

  /** The reason phrase (an alias of `msg`, as in Python). */
  override get reason(): string {
    return this.msg;
  }
  override set reason(value: unknown) {
    this.msg = String(value);
  }

  /** The response headers. */
  get headers(): HTTPMessage | null {
    return this.hdrs;
  }
  set headers(value: HTTPMessage | null) {
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
  info(): HTTPMessage | null {
    return this.hdrs;
  }

  /** Reads up to `amt` bytes of the error body (all of it by default). */
  read(amt?: number | null): Promise<Uint8Array> {
    return (this.fp ?? EMPTY_BODY).read(amt);
  }

  /** Reads one line of the error body. */
  readline(limit?: number | null): Promise<Uint8Array> {
    return (this.fp ?? EMPTY_BODY).readline(limit);
  }

  /** Closes the underlying response. */
  async close(): Promise<void> {
    await (this.fp ?? EMPTY_BODY).close();
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

/**
 * Python's `http.client.InvalidURL`: a URL that cannot be sent (a control
 * character, a raw space, a bad port). A `TypeError`, following this
 * package's mapping of Python's `ValueError`-like failures.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { InvalidURL } from "@pyport/web/urllib/error";
 * const err = new InvalidURL("URL can't contain control characters.");
 * assert(err instanceof TypeError && err.name === "InvalidURL");
 * ```
 */
export class InvalidURL extends TypeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidURL";
  }
}

/**
 * Python's `http.client.IncompleteRead`: the connection ended before the
 * announced body was complete. `partial` holds the bytes received.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { IncompleteRead } from "@pyport/web/urllib/error";
 * const err = new IncompleteRead(new Uint8Array(3), 7);
 * assert(err.message === "IncompleteRead(3 bytes read, 7 more expected)");
 * ```
 */
export class IncompleteRead extends Error {
  /** The bytes read before the connection ended. */
  partial: Uint8Array;
  /** How many more bytes were expected, when known. */
  expected: number | null;

  /** Creates the error. */
  constructor(partial: Uint8Array, expected: number | null = null) {
    const more = expected === null ? "" : `, ${expected} more expected`;
    super(`IncompleteRead(${partial.length} bytes read${more})`);
    this.name = "IncompleteRead";
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * Python's `http.client.RemoteDisconnected`: the server closed the
 * connection without sending a status line. Also a
 * `Deno.errors.ConnectionReset`, as Python's is a `ConnectionResetError`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { RemoteDisconnected } from "@pyport/web/urllib/error";
 * assert(new RemoteDisconnected() instanceof Deno.errors.ConnectionReset);
 * ```
 */
export class RemoteDisconnected extends Deno.errors.ConnectionReset {
  /** Creates the error with Python's message. */
  constructor(message = "Remote end closed connection without response") {
    super(message);
    this.name = "RemoteDisconnected";
  }
}

/**
 * Python's `http.client.BadStatusLine` (and its other protocol errors): the
 * server's reply is not HTTP this client can read.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BadStatusLine } from "@pyport/web/urllib/error";
 * assert(new BadStatusLine("SSH-2.0").name === "BadStatusLine");
 * ```
 */
export class BadStatusLine extends Error {
  /** The offending line (or a description). */
  line: string;
  /** Creates the error. */
  constructor(line: string) {
    super(line);
    this.name = "BadStatusLine";
    this.line = line;
  }
}

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
