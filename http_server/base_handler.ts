/**
 * `BaseHTTPRequestHandler`: Python's request handler base class, running on
 * `Deno.serve`. Subclass it and add `do_GET`, `do_POST`, … methods.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `BaseHTTPRequestHandler` and
 * `DEFAULT_ERROR_MESSAGE`.
 *
 * @module
 */
import { percentFormat } from "../_util/percent_format.ts";
import { pyRepr, pyStr } from "../_util/py_repr.ts";
import { httpDate, logDate, MONTH_NAMES, WEEKDAY_NAMES } from "./_dates.ts";
import { internals } from "./_internal.ts";
import { BodyReader } from "./_request_reader.ts";
import { ResponseState } from "./_response_writer.ts";
import { writeStderr } from "../_util/stderr.ts";
import type { RequestReader, ResponseWriter } from "./io.ts";
import { HTTPMessage } from "../_util/http_message.ts";
import { responses } from "./responses.ts";
import type { HTTPServer } from "./server.ts";

/** A client's `[host, port]`, as Python's `client_address`. */
export type ClientAddress = readonly [host: string, port: number];

/**
 * What `HTTPServer` needs from a handler class: constructible with
 * `(request, client_address, server)`.
 */
export type RequestHandlerClass = new (
  request: Request,
  client_address: ClientAddress,
  server: HTTPServer,
) => BaseHTTPRequestHandler;

/** Python's default `error_message_format` (an HTML page). */
export const DEFAULT_ERROR_MESSAGE: string = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
`;

/** Python's default `error_content_type`. */
export const DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

const encoder = new TextEncoder();
const REQUEST_FORMAT = '"%s" %s %s';
// Header names are RFC 9110 tokens.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header injection (CR, LF, NUL) or characters Latin-1 cannot carry.
// deno-lint-ignore no-control-regex
const BAD_HEADER_VALUE = /[\r\n\0]|[^\x00-\xff]/;
// Control characters and the backslash are escaped in log lines, so a
// request cannot forge lines or terminal escapes in the log.
// deno-lint-ignore no-control-regex
const LOG_UNSAFE = /[\x00-\x1f\x7f-\x9f\\]/g;

function noop(): void {}

// Handlers send the same few header names on every response: remember the
// ones already checked (bounded, so a handler echoing client data cannot grow
// it without limit).
const checkedNames = new Set<string>();
const CHECKED_NAMES_MAX = 256;

function isHeaderName(name: string): boolean {
  if (checkedNames.has(name)) return true;
  if (!TOKEN.test(name)) return false;
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.add(name);
  return true;
}

// Method names are few; the common ones skip a string concatenation.
const DO_METHOD: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  {
    GET: "do_GET",
    HEAD: "do_HEAD",
    POST: "do_POST",
    PUT: "do_PUT",
    DELETE: "do_DELETE",
    OPTIONS: "do_OPTIONS",
    PATCH: "do_PATCH",
  },
);

function escapeLogChar(ch: string): string {
  if (ch === "\\") return "\\\\";
  return "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  );
}

/** The path part (with query) of a request URL as the engine gives it. */
function requestTarget(url: string): string {
  const hostStart = url.indexOf("//") + 2;
  const pathStart = url.indexOf("/", hostStart);
  return pathStart === -1 ? "/" : url.slice(pathStart);
}

/**
 * Handles one HTTP request, as Python's `http.server.BaseHTTPRequestHandler`.
 *
 * Subclass it and define `do_<METHOD>` methods (`do_GET`, `do_POST`, …),
 * sync or `async`. In them, read `command`, `path`, `headers` and the body
 * from `rfile`, then answer with `send_response`, `send_header`,
 * `end_headers` and `wfile.write`. A method that is missing gets a 501.
 *
 * Differences from Python, all from running on `Deno.serve`:
 * - the handler is created per request (Python: per connection) and its
 *   work starts after the constructor returns, so class fields such as
 *   `protocol_version = "HTTP/1.1"` take effect;
 * - `rfile` reads return promises (`await this.rfile.read(n)`);
 * - the engine writes the status line: its HTTP version is the request's and
 *   its reason phrase is the standard one for the code (a custom `message`
 *   still appears in the log and error page);
 * - `request_version` is always `HTTP/1.1` (the engine does not expose
 *   it), and repeated request headers arrive joined with `, `;
 * - the engine writes `Date` and `Content-Length` itself (lower-cased) when
 *   they match what the handler sent;
 * - with `protocol_version` `HTTP/1.0` (the default) responses carry
 *   `Connection: close`, and clients close the connection;
 * - the response head and body are handed to the engine, so writing a raw
 *   status line to `wfile` does not work, and 1xx interim responses are
 *   left to the engine (it answers `Expect: 100-continue`);
 * - malformed requests are answered (400) by the engine before any handler
 *   runs;
 * - a `do_` method that throws gets a 500 response (Python just drops the
 *   connection), with the traceback on stderr as Python prints it; one that
 *   sends nothing gets a 500 too.
 *
 * @example A handler that answers every GET with "Hello World"
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
 * class Hello extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     const body = new TextEncoder().encode("Hello World");
 *     this.send_response(200);
 *     this.send_header("Content-type", "text/plain");
 *     this.send_header("Content-Length", String(body.length));
 *     this.end_headers();
 *     this.wfile.write(body);
 *   }
 *   override log_message(): void {} // keep the example quiet
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Hello);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
 * assert(await res.text() === "Hello World");
 * await server.shutdown();
 * await done;
 * ```
 */
export class BaseHTTPRequestHandler {
  /** The engine's request object (Python: the socket). */
  readonly request: Request;
  /** The client's `[host, port]`. */
  readonly client_address: ClientAddress;
  /** The server that received the request. */
  readonly server: HTTPServer;

  /** The request's HTTP version; always `"HTTP/1.1"` (see above). */
  declare request_version: string;
  /** The response body. */
  readonly wfile: ResponseWriter;

  // Python's class attributes live on the prototype (set below), so a
  // request costs no copies of them, and both subclass fields
  // (`override protocol_version = "HTTP/1.1"`) and prototype assignments
  // override them.
  /** Server software name and version, first half of the `Server` header. */
  declare server_version: string;
  /** Runtime name and version, second half of the `Server` header. */
  declare sys_version: string;
  /**
   * `"HTTP/1.0"` (default: one request per connection) or `"HTTP/1.1"`
   * (keep-alive).
   */
  declare protocol_version: string;
  /** The `%`-format template of error pages (`%(code)d`, `%(message)s`, `%(explain)s`). */
  declare error_message_format: string;
  /** The `Content-Type` of error pages. */
  declare error_content_type: string;
  /** Kept for Python compatibility; requests always carry a version here. */
  declare default_request_version: string;
  /** Status code to `[phrase, explanation]`. */
  declare responses: Readonly<Record<number, readonly [string, string]>>;
  /** Month abbreviations used by the date helpers (index 1 to 12). */
  declare monthname: readonly (string | null)[];
  /** Weekday abbreviations, Monday first. */
  declare weekdayname: readonly string[];

  static {
    Object.assign(this.prototype, {
      request_version: "HTTP/1.1",
      server_version: "BaseHTTP/0.6",
      sys_version: `Deno/${Deno.version.deno}`,
      protocol_version: "HTTP/1.0",
      error_message_format: DEFAULT_ERROR_MESSAGE,
      error_content_type: DEFAULT_ERROR_CONTENT_TYPE,
      default_request_version: "HTTP/0.9",
      responses,
      monthname: MONTH_NAMES,
      weekdayname: WEEKDAY_NAMES,
    });
  }

  readonly #state: ResponseState = new ResponseState();
  #headers: HTTPMessage | null = null;
  #rfile: RequestReader | null = null;
  #command: string | null | undefined = undefined;
  #path: string | undefined = undefined;
  #requestline: string | undefined = undefined;
  #closeConnection: boolean | undefined = undefined;
  #interim = false;

  static {
    internals.run = (handler) => handler.#start();
    internals.state = (handler) => handler.#state;
  }

  /**
   * Creates the handler for one request. The server calls this; the
   * request is handled after the constructor returns.
   */
  constructor(
    request: Request,
    client_address: ClientAddress,
    server: HTTPServer,
  ) {
    this.request = request;
    this.client_address = client_address;
    this.server = server;
    this.wfile = this.#state;
  }

  /** The request headers. */
  get headers(): HTTPMessage {
    return this.#headers ??= new HTTPMessage(this.request.headers);
  }
  set headers(value: HTTPMessage) {
    this.#headers = value;
  }

  /** The request body. */
  get rfile(): RequestReader {
    return this.#rfile ??= new BodyReader(this.request.body);
  }
  set rfile(value: RequestReader) {
    this.#rfile = value;
  }

  /** The request method, e.g. `"GET"`. */
  get command(): string | null {
    if (this.#command === undefined) this.#command = this.request.method;
    return this.#command;
  }
  set command(value: string | null) {
    this.#command = value;
  }

  /**
   * The request target: path and query, e.g. `"/a/b?x=1"`. Leading
   * slashes are collapsed to one (so a `Location` built from it cannot
   * name another host).
   */
  get path(): string {
    if (this.#path === undefined) {
      const target = requestTarget(this.request.url);
      this.#path = target.startsWith("//")
        ? "/" + target.replace(/^\/+/, "")
        : target;
    }
    return this.#path;
  }
  set path(value: string) {
    this.#path = value;
  }

  /** The request line as it appears in the log: `GET /path HTTP/1.1`. */
  get requestline(): string {
    this.#requestline ??= `${this.command} ${
      requestTarget(this.request.url)
    } ${this.request_version}`;
    return this.#requestline;
  }
  set requestline(value: string) {
    this.#requestline = value;
  }

  /**
   * Whether the connection ends after this response: true with
   * `protocol_version` `HTTP/1.0` or when the client sent
   * `Connection: close`. Decides the `Connection: close` header.
   */
  get close_connection(): boolean {
    if (this.#closeConnection === undefined) {
      if (this.protocol_version < "HTTP/1.1") return true;
      const connection = this.request.headers.get("Connection");
      return connection !== null && connection.toLowerCase() === "close";
    }
    return this.#closeConnection;
  }
  set close_connection(value: boolean) {
    this.#closeConnection = value;
  }

  #start(): Response | Promise<Response> {
    const state = this.#state;
    state.isHead = this.command === "HEAD";
    let pending: Promise<void> | undefined;
    try {
      const result = this.#lifecycle();
      if (result instanceof Promise) pending = result;
      else this.#complete();
    } catch (error) {
      this.#fail(error);
    }
    if (pending) {
      pending.then(() => this.#complete(), (error) => this.#fail(error));
    }
    if (state.response) return state.response;
    return new Promise((resolve) => {
      state.onResponse = resolve;
    });
  }

  #lifecycle(): void | Promise<void> {
    const setup = this.setup();
    if (setup instanceof Promise) {
      return setup.then(() => this.#handleThenFinish());
    }
    return this.#handleThenFinish();
  }

  #handleThenFinish(): void | Promise<void> {
    let handled;
    try {
      handled = this.handle();
    } catch (error) {
      const finished = this.finish();
      if (finished instanceof Promise) {
        return finished.then(() => Promise.reject(error));
      }
      throw error;
    }
    if (handled instanceof Promise) return handled.finally(() => this.finish());
    const finished = this.finish();
    if (finished instanceof Promise) return finished;
  }

  #complete(): void {
    const state = this.#state;
    if (state.status === 0 && !state.committed) {
      // Python would close the connection without a word; an HTTP engine
      // must answer something, so say what went wrong.
      state.reset();
      this.send_error(500, "The handler sent no response");
    }
    state.finish();
  }

  #fail(error: unknown): void {
    const state = this.#state;
    this.server.handle_error(this.request, this.client_address, error);
    if (!state.resettable) {
      state.abort(error);
      return;
    }
    state.reset();
    try {
      this.send_error(500);
      state.finish();
    } catch (again) {
      state.abort(again);
      if (!state.response) state.fallback();
    }
  }

  /** Called before `handle()`; a hook for subclasses (no-op). */
  setup(): void | Promise<void> {}

  /** Called after `handle()`, even if it threw; a hook for subclasses (no-op). */
  finish(): void | Promise<void> {}

  /**
   * Handles the request: one `handle_one_request()` call (the engine
   * keeps connections alive between requests, not the handler).
   */
  handle(): void | Promise<void> {
    return this.handle_one_request();
  }

  /**
   * Parses the request and calls the matching `do_<COMMAND>` method, or
   * sends 501 when there is none.
   */
  handle_one_request(): void | Promise<void> {
    if (!this.parse_request()) return;
    const command = this.command;
    const name = (command !== null && DO_METHOD[command]) || "do_" + command;
    const method = (this as unknown as Record<string, unknown>)[name];
    if (typeof method !== "function") {
      this.send_error(501, `Unsupported method (${pyRepr(this.command)})`);
      return;
    }
    const result: unknown = method.call(this);
    if (result instanceof Promise) {
      this.#state.pending = true;
      if (this.#state.headEnded) this.#state.armStreamTimer();
      return result.then(noop);
    }
  }

  /**
   * Prepares the request for handling; returns `false` after sending an
   * error response when it cannot be served. The engine has parsed and
   * validated the request already (malformed requests got a 400 there), and
   * `command`, `path`, `requestline`, `headers` and `close_connection` are
   * read from it on first use.
   */
  parse_request(): boolean {
    return true;
  }

  /**
   * Sends an error response: logs it, sends status `code`, and (except for
   * 1xx, 204, 205 and 304 and for HEAD requests) an HTML page built from
   * `error_message_format`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
   * class Teapot extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_error(418, "Short and stout");
   *   }
   *   override log_message(): void {}
   * }
   * await using server = new HTTPServer(["127.0.0.1", 0], Teapot);
   * const done = server.serve_forever();
   * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
   * assert(res.status === 418);
   * assert((await res.text()).includes("<p>Message: Short and stout.</p>"));
   * await server.shutdown();
   * await done;
   * ```
   */
  send_error(
    code: number,
    message?: string | null,
    explain?: string | null,
  ): void;
  /** `send_error()` with `message` and `explain` given as keywords. */
  send_error(
    code: number,
    options: { message?: string | null; explain?: string | null },
  ): void;
  send_error(
    code: number,
    messageOrOptions?: string | null | {
      message?: string | null;
      explain?: string | null;
    },
    explainArg?: string | null,
  ): void {
    let message: string | null | undefined;
    let explain = explainArg;
    if (
      messageOrOptions !== null && typeof messageOrOptions === "object"
    ) {
      message = messageOrOptions.message;
      explain = messageOrOptions.explain;
    } else {
      message = messageOrOptions;
    }
    const known = this.responses[code];
    const shortMessage = known?.[0] ?? "???";
    const longMessage = known?.[1] ?? "???";
    const finalMessage = message ?? shortMessage;
    const finalExplain = explain ?? longMessage;
    this.log_error("code %d, message %s", code, finalMessage);
    this.send_response(code, finalMessage);
    this.send_header("Connection", "close");
    let body: Uint8Array | null = null;
    if (code >= 200 && code !== 204 && code !== 205 && code !== 304) {
      body = encoder.encode(
        percentFormat(this.error_message_format, {
          code,
          message: escapeHtml(finalMessage),
          explain: escapeHtml(finalExplain),
        }),
      );
      this.send_header("Content-Type", this.error_content_type);
      this.send_header("Content-Length", String(body.length));
    }
    this.end_headers();
    if (this.command !== "HEAD" && body) this.wfile.write(body);
  }

  /**
   * Starts the response: logs the request, records status `code`, and adds
   * the `Server` and `Date` headers.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
   * class Created extends BaseHTTPRequestHandler {
   *   do_PUT(): void {
   *     this.send_response(201);
   *     this.send_header("Content-Length", "0");
   *     this.end_headers();
   *   }
   *   override log_message(): void {}
   * }
   * await using server = new HTTPServer(["127.0.0.1", 0], Created);
   * const done = server.serve_forever();
   * const res = await fetch(`http://127.0.0.1:${server.server_port}/`, { method: "PUT" });
   * assert(res.status === 201 && res.headers.get("server")?.startsWith("BaseHTTP/0.6"));
   * await res.body?.cancel();
   * await server.shutdown();
   * await done;
   * ```
   */
  send_response(code: number, message?: string | null): void {
    this.log_request(code);
    this.send_response_only(code, message);
    this.send_header("Server", this.version_string());
    this.send_header("Date", this.date_time_string());
  }

  /**
   * Records status `code` (and reason `message`) without logging or adding
   * headers.
   *
   * @throws {RangeError} When `code` is not a status from 100 to 999 the
   * engine can send.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
   * class Bare extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_response_only(204);
   *     this.end_headers();
   *   }
   * }
   * await using server = new HTTPServer(["127.0.0.1", 0], Bare);
   * const done = server.serve_forever();
   * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
   * assert(res.status === 204 && !res.headers.has("server"));
   * await server.shutdown();
   * await done;
   * ```
   */
  send_response_only(code: number, message?: string | null): void {
    if (!Number.isInteger(code) || code < 100 || code > 999) {
      throw new RangeError(`invalid status code ${code}`);
    }
    const state = this.#state;
    if (state.committed) {
      throw new Error("send_response: the response head was already sent");
    }
    // Interim (1xx) responses cannot be sent through the engine; ignore
    // them, as the final response follows anyway.
    if (code < 200) {
      this.#interim = true;
      return;
    }
    state.status = code;
    state.statusText = message ?? this.responses[code]?.[0] ?? "";
  }

  /**
   * Adds header `keyword: value` to the response head. `Connection: close`
   * or `keep-alive` also sets `close_connection`.
   *
   * @throws {TypeError} When the name is not a valid header name, or the
   * name or value holds CR, LF or NUL (header injection), or a character
   * beyond Latin-1 (Python's `UnicodeEncodeError`).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
   * class Safe extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_response(200);
   *     let rejected = false;
   *     try {
   *       this.send_header("X-Evil", "a\r\nSet-Cookie: x=1");
   *     } catch (e) {
   *       rejected = e instanceof TypeError;
   *     }
   *     this.send_header("X-Rejected", String(rejected));
   *     this.end_headers();
   *   }
   *   override log_message(): void {}
   * }
   * await using server = new HTTPServer(["127.0.0.1", 0], Safe);
   * const done = server.serve_forever();
   * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
   * assert(res.headers.get("x-rejected") === "true");
   * await res.body?.cancel();
   * await server.shutdown();
   * await done;
   * ```
   */
  send_header(keyword: string, value: string | number): void {
    const text = typeof value === "string" ? value : String(value);
    if (!isHeaderName(keyword)) {
      throw new TypeError(`invalid header name ${pyRepr(keyword)}`);
    }
    if (BAD_HEADER_VALUE.test(text)) {
      throw new TypeError(
        /[\r\n\0]/.test(text)
          ? `invalid header value ${
            pyRepr(text)
          } for ${keyword}: CR, LF and NUL are not allowed`
          : `header value ${
            pyRepr(text)
          } for ${keyword} is not Latin-1 encodable`,
      );
    }
    const state = this.#state;
    if (state.committed || state.headEnded) {
      throw new Error("send_header: the response head was already ended");
    }
    if (this.#interim) return;
    // Only a few names need a look ("connection", "content-length",
    // "date"); their lengths rule most others out without lower-casing.
    const size = keyword.length;
    if (size === 10 || size === 14 || size === 4) {
      const lowered = keyword.toLowerCase();
      if (lowered === "connection") {
        const v = text.toLowerCase();
        if (v === "close") this.close_connection = true;
        else if (v === "keep-alive") this.close_connection = false;
        // The engine manages connections; end_headers adds
        // `Connection: close` from close_connection.
        return;
      }
      if (lowered === "content-length") {
        // Kept aside: the engine writes it for a body it knows the size of.
        state.contentLength = text;
        return;
      }
      // The engine adds this very header itself; sending ours too would
      // only cost time.
      if (lowered === "date" && text === httpDate()) return;
    }
    state.headers.push([keyword, text]);
  }

  /** Ends the response head; body writes to `wfile` follow. */
  end_headers(): void {
    const state = this.#state;
    if (state.status === 0 && this.#interim) {
      this.#interim = false;
      return;
    }
    if (state.status === 0) {
      throw new Error("end_headers: call send_response() first");
    }
    // Reading close_connection's getter would parse the request headers;
    // a client's own "Connection: close" is honoured by the engine anyway.
    const close = this.#closeConnection ??
      this.protocol_version < "HTTP/1.1";
    if (close) state.headers.push(["Connection", "close"]);
    state.headersEnded();
  }

  /**
   * Python sends the buffered head here; the engine sends it with the body,
   * so this only lets an async handler's head go out now.
   */
  flush_headers(): void {
    this.#state.flush();
  }

  /**
   * Logs an accepted request: `"GET / HTTP/1.1" 200 -`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * assert(typeof BaseHTTPRequestHandler.prototype.log_request === "function");
   * ```
   */
  log_request(code: number | string = "-", size: number | string = "-"): void {
    this.log_message(
      '"%s" %s %s',
      this.requestline,
      String(code),
      String(size),
    );
  }

  /**
   * Logs an error; by default the same as `log_message`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * assert(typeof BaseHTTPRequestHandler.prototype.log_error === "function");
   * ```
   */
  log_error(format: string, ...args: unknown[]): void {
    this.log_message(format, ...args);
  }

  /**
   * Writes `format % args` to stderr, prefixed with the client address and
   * the time, control characters escaped:
   * `127.0.0.1 - - [24/Nov/2026 05:40:00] message`. Override it to log
   * elsewhere or not at all.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const lines: string[] = [];
   * class Collecting extends BaseHTTPRequestHandler {
   *   override log_message(format: string, ...args: unknown[]): void {
   *     lines.push(`${format} ${args.join(" ")}`);
   *   }
   * }
   * new Collecting(new Request("http://x/"), ["127.0.0.1", 1], null!).log_error("code %d", 404);
   * assert(lines[0] === "code %d 404");
   * ```
   */
  log_message(format: string, ...args: unknown[]): void {
    let message: string;
    if (format === REQUEST_FORMAT && args.length === 3) {
      // The line logged for every request: skip the format parser.
      message = `"${pyStr(args[0])}" ${pyStr(args[1])} ${pyStr(args[2])}`;
    } else if (args.length === 0 && !format.includes("%")) {
      message = format;
    } else {
      message = percentFormat(format, args);
    }
    LOG_UNSAFE.lastIndex = 0;
    if (LOG_UNSAFE.test(message)) {
      message = message.replace(LOG_UNSAFE, escapeLogChar);
    }
    writeStderr(
      `${this.address_string()} - - [${this.log_date_time_string()}] ${message}\n`,
    );
  }

  /**
   * `server_version` and `sys_version`, as the `Server` header shows them.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(new Request("http://x/"), ["127.0.0.1", 1], null!);
   * assert(handler.version_string().startsWith("BaseHTTP/0.6 Deno/"));
   * ```
   */
  version_string(): string {
    return this.server_version + " " + this.sys_version;
  }

  /**
   * An HTTP date for `timestamp` (seconds since the epoch; default now):
   * `Tue, 24 Nov 2026 05:40:00 GMT`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(new Request("http://x/"), ["127.0.0.1", 1], null!);
   * assert(handler.date_time_string(0) === "Thu, 01 Jan 1970 00:00:00 GMT");
   * ```
   */
  date_time_string(timestamp?: number | null): string {
    return httpDate(timestamp);
  }

  /**
   * The local time as log lines show it: `24/Nov/2026 05:40:00`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(new Request("http://x/"), ["127.0.0.1", 1], null!);
   * assert(/^\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d$/.test(handler.log_date_time_string()));
   * ```
   */
  log_date_time_string(): string {
    return logDate();
  }

  /**
   * The client address as log lines show it (its host).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(new Request("http://x/"), ["127.0.0.1", 1], null!);
   * assert(handler.address_string() === "127.0.0.1");
   * ```
   */
  address_string(): string {
    return this.client_address[0];
  }
}
