/**
 * `BaseHTTPRequestHandler`: Python's HTTP request handler, reading requests
 * from `rfile` and writing responses to `wfile` of one connection, as
 * CPython 3.13 does on top of `socketserver.StreamRequestHandler`.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `BaseHTTPRequestHandler` and
 * `DEFAULT_ERROR_MESSAGE`.
 *
 * @module
 */
import { typeName } from "../_util/py_type_name.ts";
import { utf8Codec } from "../_util/codec/utf8.ts";
import { classAttributes } from "../_util/class_attributes.ts";
import { percentFormat } from "../_util/percent_format.ts";
import { pyRepr, pyStr } from "../_util/py_repr.ts";
import { HTTPMessage } from "../_util/http_message.ts";
import { latin1Decode, latin1Encode } from "../_util/latin1.ts";
import { writeStderr } from "../_util/stderr.ts";
import {
  SocketWriter,
  StreamRequestHandler,
} from "../socketserver/request_handler.ts";
import { shareTimeout } from "../socketserver/stream_socket.ts";
import type {
  Address,
  BaseServer,
  RequestHandlerClass as HandlerClass,
} from "../socketserver/base_server.ts";
import type { StreamConnection } from "../socketserver/_socket_io.ts";
import {
  type ConnectionTracker,
  Phase,
  type TrackedConnection,
  trackerOf,
} from "./_connections.ts";
import { httpDate, logDate, MONTH_NAMES, WEEKDAY_NAMES } from "./_dates.ts";
import { type BodyFraming, requestFraming } from "./_framing.ts";
import {
  isBlockEnd,
  MAX_HEADERS,
  MAX_LINE,
  readHeaderBlock,
} from "./_header_block.ts";
import { HeadBuffer, HEADER_CALL } from "./_head_buffer.ts";
import { unwatchHold, watchHold } from "./_held_heads.ts";
import { HTTPReader } from "./_http_reader.ts";
import { parseRequestLine, stripLineEnd } from "./_request_line.ts";
import {
  checkHeader,
  checkStatus,
  escapeLogMessage,
  headerLine,
  type HeadTemplate,
  statusLine,
} from "./_response_head.ts";
import { responses } from "./responses.ts";
import {
  errorArgs,
  logRequestArgs,
  messageArg,
  timestampArg,
} from "./_handler_args.ts";
import type { HTTPServer } from "./server.ts";
import { turns } from "./_turns.ts";

/** A client's `[host, port]`, as Python's `client_address`. */
export type ClientAddress = readonly [host: string, port: number];

/**
 * What `HTTPServer` needs of a handler class: constructible with
 * `(request, client_address, server)` for each connection.
 */
export type RequestHandlerClass = HandlerClass<StreamConnection>;

/**
 * Python's default `error_message_format` (an HTML page).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DEFAULT_ERROR_MESSAGE } from "@pyport/web/http/server";
 * ok(DEFAULT_ERROR_MESSAGE.includes("<p>Error code: %(code)d</p>"));
 * ```
 */
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

/**
 * Python's default `error_content_type`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DEFAULT_ERROR_CONTENT_TYPE } from "@pyport/web/http/server";
 * equal(DEFAULT_ERROR_CONTENT_TYPE, "text/html;charset=utf-8");
 * ```
 */
export const DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

const REQUEST_FORMAT = '"%s" %s %s';
/** An unread request body up to this size is discarded to keep the connection. */
const DISCARD_LIMIT = 256 * 1024;
/** Queued response bytes above which the next request waits for the client. */
const PIPELINE_LIMIT = 256 * 1024;
/** How long a closing connection keeps reading a body still arriving. */
const LINGER_MS = 2000;

/** What Python's log line shows for a timed-out socket operation. */
const TIMEOUT_REPR = Object.assign(new Error("timed out"), {
  name: "TimeoutError",
});

/** Whether `error` says the client reset or closed the connection. */
function isDisconnect(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.UnexpectedEof;
}

/**
 * The package's own way to a head kept for reuse (a cached file's, whose
 * lines only the date changes): `handler[SEND_KEPT_HEAD](code, kept,
 * fields)` sends it. Not public API.
 */
export const SEND_KEPT_HEAD: unique symbol = Symbol("sendKeptHead");

/**
 * The package's own hook on the page `send_error` sends:
 * `handler[ERROR_PAGE](page, code)` returns the bytes to send in its place
 * (a page with serve's live reload script). Not public API.
 */
export const ERROR_PAGE: unique symbol = Symbol("errorPage");

/**
 * The package's own hook on the bound of a held head:
 * `handler[BODY_FOLLOWS_HEAD](method)` is `true` when the `do_` method just
 * called writes its body as soon as its head is made (the package's own
 * file serving, unchanged by a subclass), so the head it holds needs no
 * timer. Not public API.
 */
export const BODY_FOLLOWS_HEAD: unique symbol = Symbol("bodyFollowsHead");

/** The last `Date` value sent and its bytes (re-encoded once a second). */
let dateText = "";
let dateBytes: Uint8Array = new Uint8Array(0);

/** The last kept head's opening text and its bytes (see `sharedBytes`). */
let sharedText = "";
let sharedTextBytes: Uint8Array = new Uint8Array(0);

/**
 * `text` (a head's status line and `Server` line) as bytes, the same
 * array as last time when the text is: the kept heads made while it stays
 * the same (those of one handler's cached files) share one.
 */
function sharedBytes(text: string): Uint8Array {
  if (text !== sharedText) {
    sharedText = text;
    sharedTextBytes = latin1Encode(text);
  }
  return sharedTextBytes;
}

/** The current `Date` value as bytes, made once a second. */
function currentDateBytes(): Uint8Array {
  const now = httpDate();
  if (now !== dateText) {
    dateText = now;
    dateBytes = latin1Encode(now);
  }
  return dateBytes;
}

/** Whether `value` is a promise or another object with a `then` method. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** Thrown into a pending head read when `headers_timeout` has passed. */
class HeadTimeout extends Error {}

/** The outcome of reading one header line. */
const MORE = 0;
const DONE = 1;
const LINE_TOO_LONG = 2;
const TOO_MANY = 3;
type LineVerdict =
  | typeof MORE
  | typeof DONE
  | typeof LINE_TOO_LONG
  | typeof TOO_MANY;

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

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(
    ">",
    "&gt;",
  );
}

function shortest(...seconds: (number | null)[]): number | null {
  let min: number | null = null;
  for (const s of seconds) if (s !== null && (min === null || s < min)) min = s;
  return min;
}

/**
 * Handles the requests of one connection, as Python's
 * `http.server.BaseHTTPRequestHandler`.
 *
 * Subclass it and define `do_<METHOD>` methods (`do_GET`, `do_POST`, …),
 * sync or `async`. In them, read `command`, `path`, `headers` and the body
 * from `rfile` (`await this.rfile.read(n)`), then answer with
 * `send_response`, `send_header`, `end_headers` and `wfile.write`, or write
 * raw bytes to `wfile` after `send_response_only`. A method that is
 * missing gets a 501. The handler is made per connection: with
 * `protocol_version = "HTTP/1.1"` it serves requests until the client or a
 * `Connection: close` ends the connection.
 *
 * It parses requests exactly as CPython 3.13 does (request line, HTTP/0.9,
 * version checks, 414, 431, header folding, `Expect: 100-continue`), and
 * writes the same bytes, with these differences:
 * - I/O returns promises: `await this.rfile.read(n)`; `wfile.write()` is
 *   synchronous and queues (a small head and body leave in one write);
 * - the handler runs after its constructor returns, so class fields such
 *   as `protocol_version = "HTTP/1.1"` take effect;
 * - safer: a request whose body length is ambiguous (Content-Length with
 *   Transfer-Encoding, differing or malformed Content-Lengths, a
 *   Transfer-Encoding not ending in `chunked`) gets 400 and the connection
 *   closes; a body the handler did not read is discarded before the next
 *   request (up to 256 KiB; above, the connection closes), so it cannot be
 *   read as a request; header names and values with CR, LF or NUL are
 *   refused (`TypeError`), and so is a reason phrase with them;
 * - `headers_timeout` and `keep_alive_timeout` (seconds, default `null`:
 *   none, as Python) bound how long a client may take to send a request
 *   head and stay idle between requests; `timeout` works as Python's;
 * - a client that resets or closes a connection while it waits for the
 *   next request, or while the rest of a body the handler left unread is
 *   read off, ends it quietly; `disable_nagle_algorithm` is `true`.
 *
 * @example A handler that answers every GET with "Hello World"
 * ```ts
 * import { equal } from "node:assert/strict";
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
 * equal(await res.text(), "Hello World");
 * await server.shutdown();
 * await done;
 * ```
 */
export class BaseHTTPRequestHandler
  extends StreamRequestHandler<StreamConnection> {
  /** The server that accepted the connection. */
  declare server: HTTPServer;

  // Python's class attributes live on the prototype (set below), so both
  // subclass fields (`override protocol_version = "HTTP/1.1"`) and prototype
  // assignments override them.
  /** Server software name and version, first half of the `Server` header. */
  declare server_version: string;
  /** Runtime name and version, second half of the `Server` header. */
  declare sys_version: string;
  /**
   * The version in status lines: `"HTTP/1.0"` (default: one request per
   * connection) or `"HTTP/1.1"` (keep-alive).
   */
  declare protocol_version: string;
  /** The `%`-format template of error pages (`%(code)d`, `%(message)s`, `%(explain)s`). */
  declare error_message_format: string;
  /** The `Content-Type` of error pages. */
  declare error_content_type: string;
  /** The version assumed until the request line names one (`"HTTP/0.9"`). */
  declare default_request_version: string;
  /** Status code to `[phrase, explanation]`. */
  declare responses: Readonly<Record<number, readonly [string, string]>>;
  /** Month abbreviations used by the date helpers (index 1 to 12). */
  declare monthname: readonly (string | null)[];
  /** Weekday abbreviations, Monday first. */
  declare weekdayname: readonly string[];
  /** The class request headers are parsed into. */
  declare MessageClass: typeof HTTPMessage;
  /**
   * Seconds a client may take to send a request head, from its first
   * byte (for a connection's first request, from the connection: waiting
   * and the head together); then it gets 408 and the connection closes.
   * `null` (default): no limit, as Python. `serve` sets 60. Checked a few
   * times a second at most.
   */
  declare headers_timeout: number | null;
  /**
   * Seconds a kept-alive connection may wait for its next request before
   * it is closed, quietly. `null` (default): no limit, as Python. `serve`
   * sets 5.
   */
  declare keep_alive_timeout: number | null;
  /**
   * Seconds a response may wait for the client to take more of it, or a
   * handler for more of a request body, before the connection is dropped
   * (`Request timed out` is logged, as for `timeout`). Unlike `timeout`, it
   * times no single read or write: the server's timer looks a few times a
   * second for connections whose reads and writes have not moved, so it
   * costs a request nothing. `null` (default): no limit, as Python. `serve`
   * sets 300. A write moves only when the kernel takes more bytes, which
   * for a full send buffer happens once about a third of it has drained:
   * a client reading slower than that buffer's third per `stall_timeout`
   * (about 4 KB/s for 4 MiB and 300 s) is cut even though it reads.
   */
  declare stall_timeout: number | null;

  // Python's class attributes, assigned on the class:
  // `Handler.protocol_version = "HTTP/1.1"` changes what every `Handler`
  // (and every subclass that sets none of its own) reads.
  /** `server_version` for the class and its subclasses (a Python class attribute). */
  declare static server_version: string;
  /** `sys_version` for the class and its subclasses (a Python class attribute). */
  declare static sys_version: string;
  /** `protocol_version` for the class and its subclasses (a Python class attribute). */
  declare static protocol_version: string;
  /** `error_message_format` for the class and its subclasses (a Python class attribute). */
  declare static error_message_format: string;
  /** `error_content_type` for the class and its subclasses (a Python class attribute). */
  declare static error_content_type: string;
  /** `default_request_version` for the class and its subclasses (a Python class attribute). */
  declare static default_request_version: string;
  /** `responses` for the class and its subclasses (a Python class attribute). */
  declare static responses: Readonly<
    Record<number, readonly [string, string]>
  >;
  /** `monthname` for the class and its subclasses (a Python class attribute). */
  declare static monthname: readonly (string | null)[];
  /** `weekdayname` for the class and its subclasses (a Python class attribute). */
  declare static weekdayname: readonly string[];
  /** `MessageClass` for the class and its subclasses (a Python class attribute). */
  declare static MessageClass: typeof HTTPMessage;
  /** `headers_timeout` for the class and its subclasses (a Python class attribute). */
  declare static headers_timeout: number | null;
  /** `keep_alive_timeout` for the class and its subclasses (a Python class attribute). */
  declare static keep_alive_timeout: number | null;
  /** `stall_timeout` for the class and its subclasses (a Python class attribute). */
  declare static stall_timeout: number | null;

  static {
    classAttributes<BaseHTTPRequestHandler>(this, {
      server_version: "BaseHTTP/0.6",
      sys_version: `Deno/${Deno.version.deno}`,
      protocol_version: "HTTP/1.0",
      error_message_format: DEFAULT_ERROR_MESSAGE,
      error_content_type: DEFAULT_ERROR_CONTENT_TYPE,
      default_request_version: "HTTP/0.9",
      responses,
      monthname: MONTH_NAMES,
      weekdayname: WEEKDAY_NAMES,
      MessageClass: HTTPMessage,
      disable_nagle_algorithm: true,
      headers_timeout: null,
      keep_alive_timeout: null,
      stall_timeout: null,
    });
  }

  /** The request method, e.g. `"GET"`; `null` until a request line is accepted. */
  declare command: string | null;
  /** The request target as sent (`/a/b?x=1`), leading slashes collapsed to one. */
  declare path: string;
  /** The request's version (`"HTTP/1.1"`), or `default_request_version`. */
  declare request_version: string;
  /** The request line without its line end: `GET /path HTTP/1.1`. */
  declare requestline: string;
  /** The request headers. */
  declare headers: HTTPMessage;
  /** Whether the connection ends after the current request. */
  declare close_connection: boolean;

  /** The request line as read, line end included (decoded as Latin-1). */
  #rawLine = "";
  /**
   * Python's `_headers_buffer`, and the connection's last head kept to be
   * repeated (sent from its bytes rather than built, validated and encoded
   * again: only the Date changes, once a second).
   */
  readonly #head = new HeadBuffer();
  /** Whether the status being sent is an interim (1xx) one. */
  #interim = false;
  /** The current request's header lines, as read (block end excluded). */
  #headerLines: string[] = [];
  /** Lines read for the header block, its end included (`MAX_HEADERS`). */
  #headerCount = 0;
  /** How the current request's body is framed; `null` once it is settled. */
  #framing: BodyFraming | null = null;
  /** `rfile.position` where the current request's body starts. */
  #bodyStart = 0;
  /**
   * The request is HTTP/1.1 or later: the only kind whose chunked body is
   * skipped to keep the connection (an older one's framing is not trusted).
   */
  #atLeast11 = false;
  /**
   * Before closing, read what the client still sends for a moment (it may
   * be mid-body), so that the close does not reset the connection.
   */
  #linger = false;
  /** The last `do_` method returned: what it wrote is its to report. */
  #answered = false;
  /** The server ended this connection for a stall (`stall_timeout`). */
  #stalled = false;
  /**
   * No request has started on this connection yet: the wait for its first
   * byte is timed by `headers_timeout`, later ones by `keep_alive_timeout`.
   */
  #firstRequest = true;
  /** The request line was read: a 408 for a slow head keeps it for the log. */
  #requestLineRead = false;
  /** The server's deadlines, `null` for a handler run without a server. */
  #tracker: ConnectionTracker | null = null;
  /** `rfile`, with its watch on chunked bodies. */
  #reader!: HTTPReader;
  /** This connection's entry in `#tracker`: its phase and deadline. */
  #tracked: TrackedConnection | null = null;
  /**
   * Rejects with a `HeadTimeout` once `headers_timeout` passes while the
   * head is read (`#expire` rejects it); made on first use per request.
   */
  #expiry: Promise<never> | null = null;
  #expire: ((error: HeadTimeout) => void) | null = null;
  /** `wbufsize` is not 0: what the handler wrote is flushed once it returns. */
  #bufferedWrites = false;

  /**
   * Records the connection; the server runs `setup()`, `handle()` and
   * `finish()` once the constructor has returned.
   */
  constructor(
    request: StreamConnection,
    client_address: Address,
    server: BaseServer<StreamConnection>,
  ) {
    super(request, client_address, server);
    this.command = null;
    this.path = "";
    this.request_version = "";
    this.requestline = "";
    this.close_connection = true;
  }

  /**
   * The request line as read, line end included (Python's bytes).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Raw extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     const line = this.raw_requestline;
   *     this.send_response(200);
   *     this.send_header("Content-Length", String(line.length));
   *     this.end_headers();
   *     this.wfile.write(line);
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Raw)(new Request("http://localhost/a?b"));
   * equal(await res.text(), "GET /a?b HTTP/1.1\r\n");
   * ```
   */
  get raw_requestline(): Uint8Array<ArrayBuffer> {
    return latin1Encode(this.#rawLine);
  }
  set raw_requestline(value: Uint8Array) {
    this.#rawLine = latin1Decode(value);
  }

  /**
   * Wraps the connection in `rfile` and `wfile` (as `StreamRequestHandler`
   * does) and starts tracking it for timeouts and shutdown.
   */
  override setup(): void {
    const connection = this.request;
    this.connection = connection;
    if (this.disable_nagle_algorithm) connection.setNoDelay?.(true);
    this.rfile = this.#reader = new HTTPReader(connection, this.rbufsize);
    this.wfile = new SocketWriter(connection, this.wbufsize);
    shareTimeout(connection, this.timeout, this.rfile, this.wfile);
    this.#bufferedWrites = this.wbufsize !== 0;
    const reader = this.#reader;
    const writer = this.wfile;
    const stall = this.stall_timeout;
    const tracked: TrackedConnection = {
      phase: Phase.Busy,
      limit: Infinity,
      changes: 0,
      expire: (phase) => this.#onDeadline(phase),
      previous: null,
      next: null,
      stallLimit: stall === null ? Infinity : stall * 1000,
      progress: () => reader.progress + writer.progress,
      waiting: () => reader.waiting || writer.waiting,
      lastProgress: -1,
      stalledSince: 0,
      seenChanges: -1,
      seenSince: 0,
    };
    this.#tracked = tracked;
    // A handler run without a server (in a test, say) has nothing to track.
    if (!this.server) return;
    this.#tracker = trackerOf(this.server);
    this.#tracker.add(
      tracked,
      shortest(this.headers_timeout, this.keep_alive_timeout, stall),
    );
  }

  /** Sends what is left, stops tracking the connection, and closes `rfile` and `wfile`. */
  override async finish(): Promise<void> {
    // Still tracked while the rest goes out: a client that stops reading
    // the end of a response is dropped (and logged) as one mid-response.
    try {
      if (this.#answered) await this.#reportLastSend();
      if (this.#linger) await this.#lingerBeforeClose();
      await super.finish();
    } finally {
      if (this.#tracked) this.#tracker?.delete(this.#tracked);
    }
  }

  /** Handles requests until `close_connection` is set. */
  override async handle(): Promise<void> {
    this.close_connection = true;
    const custom = this.handle_one_request !==
      BaseHTTPRequestHandler.prototype.handle_one_request;
    do {
      const reads = this.rfile.progress;
      const served = custom
        ? this.handle_one_request()
        : this.#handleOneRequest();
      if (served !== undefined) await served;
      const settled = this.#settleBody();
      if (settled !== undefined) await settled;
      // A request answered from bytes already read (pipelined) settles
      // without the event loop turning: once the turn has run a slice, wait
      // for the next, so that clients flooding their connections cannot
      // hold off accepting and serving the others (see `_turns.ts`; Python's
      // threads take turns every 5 ms).
      if (this.rfile.progress === reads && turns.due()) await turns.next();
    } while (!this.close_connection);
  }

  /**
   * Reads one request and calls its `do_<COMMAND>` method (or sends the
   * error the request deserves). A read or write that takes longer than
   * `timeout` ends the connection with a `Request timed out` log line, as in
   * Python.
   */
  async handle_one_request(): Promise<void> {
    await this.#handleOneRequest();
  }

  /**
   * `handle_one_request`, answering without a promise of its own when
   * nothing had to wait: the request is read in stages (its start, the
   * request line, the head, the handler, the send), each going on to the
   * next at once when what it needs is there, so that a kept-alive request
   * costs the socket's promises and not one per stage.
   */
  #handleOneRequest(): void | Promise<void> {
    this.#requestLineRead = false;
    let pending: void | Promise<void>;
    try {
      pending = this.#awaitRequest();
    } catch (error) {
      return this.#requestFailed(error);
    }
    if (pending === undefined) return this.#releaseHead();
    return pending.then(this.#releaseHeadLater, this.#requestFailedLater);
  }

  #afterStart(started: boolean): void | Promise<void> {
    if (!started) {
      this.close_connection = true;
      return;
    }
    const line = this.rfile.readLineLatin1(MAX_LINE + 1);
    if (typeof line === "string") return this.#afterRequestLine(line);
    return this.#race(line).then((read) => this.#afterRequestLine(read));
  }

  #afterRequestLine(line: string): void | Promise<void> {
    this.#requestLineRead = true;
    if (line.length > MAX_LINE) {
      this.requestline = "";
      this.request_version = "";
      this.command = "";
      this.send_error(414);
      return;
    }
    if (line === "") {
      this.close_connection = true;
      return;
    }
    this.#rawLine = line;
    // Python only asks whether the verdict is true: an override (or a
    // handle_expect_100 override) may return nothing after send_error, or 1.
    const accepted: unknown =
      this.parse_request === BaseHTTPRequestHandler.prototype.parse_request
        ? this.#parseRequest()
        : this.parse_request();
    if (!isThenable(accepted)) return this.#dispatch(Boolean(accepted));
    return Promise.resolve(accepted).then((verdict) =>
      this.#dispatch(Boolean(verdict))
    );
  }

  /** Calls the request's `do_<COMMAND>` method once its head is accepted. */
  #dispatch(accepted: boolean): void | Promise<void> {
    this.#setPhase(Phase.Busy, null);
    this.#answered = false;
    if (!accepted) return;
    const command = this.command as string;
    const name = DO_METHOD[command] ?? "do_" + command;
    const method = (this as unknown as Record<string, unknown>)[name];
    if (method === undefined) {
      this.send_error(501, `Unsupported method (${pyRepr(command)})`);
      return;
    }
    if (typeof method !== "function") {
      // Python calls whatever the attribute holds (`do_X = None`).
      throw new TypeError(`'${typeName(method)}' object is not callable`);
    }
    const result: unknown = method.call(this);
    if (result instanceof Promise) {
      // From here on, a head held while the handler waits leaves soon
      // (Python's end_headers sends it at once), unless its body is known
      // to follow at once (a file served: no timer's work a request).
      if (!this[BODY_FOLLOWS_HEAD](method)) {
        const wfile = this.wfile;
        wfile.onHold = this.#onHold;
        if (wfile.holding) watchHold(wfile);
      }
      return result.then(this.#afterHandlerLater);
    }
    return this.#afterHandler();
  }

  /** `hold()` ran after the handler's first `await`. */
  readonly #onHold = (): void => watchHold(this.wfile);

  /** The handler is done: whatever it holds goes with its end. */
  #stopBoundingHold(): void {
    const wfile = this.wfile;
    if (wfile.onHold === null) return;
    wfile.onHold = null;
    unwatchHold(wfile);
  }

  #afterHandler(): void | Promise<void> {
    const wfile = this.wfile;
    this.#stopBoundingHold();
    this.#answered = true;
    // A head held by end_headers with no body after it goes out now.
    wfile.release();
    if (this.#bufferedWrites) return wfile.flush().then(this.#checkSentLater);
    if (wfile.pending > PIPELINE_LIMIT) {
      return wfile.drain().then(this.#checkSentLater);
    }
    return this.#checkSent();
  }

  readonly #afterHandlerLater = (): void | Promise<void> =>
    this.#afterHandler();

  /**
   * A send that failed while the handler went on (its writes only queue)
   * is reported as Python's write would have raised it, unless the handler
   * was handed it already.
   */
  #checkSent(): void | Promise<void> {
    if (this.wfile.closed) return this.#sendFailure();
  }

  readonly #checkSentLater = (): void | Promise<void> => this.#checkSent();

  /**
   * A request that failed: a timeout ends the connection (a head too slow
   * with a 408, a stalled read or write with Python's `Request timed out`
   * line); anything else is the handler's error and is thrown on.
   */
  #requestFailed(error: unknown): void {
    try {
      if (error instanceof HeadTimeout) return this.#headTimedOut();
      if (!(error instanceof Deno.errors.TimedOut)) throw error;
      // A stall the server ended was logged when it ended it.
      if (!this.#stalled) this.log_error("Request timed out: %r", TIMEOUT_REPR);
      this.close_connection = true;
    } finally {
      this.#releaseHead();
    }
  }

  readonly #requestFailedLater = (error: unknown): void =>
    this.#requestFailed(error);

  /**
   * Whatever way the request ended (an error page, a HEAD answer), a head
   * that end_headers held goes out now.
   */
  #releaseHead(): void {
    this.#stopBoundingHold();
    if (!this.wfile.closed) this.wfile.release();
  }

  readonly #releaseHeadLater = (): void => this.#releaseHead();

  /**
   * Reports a send that failed under the handler, as Python's write would
   * have raised in it (a timeout logged, another error to `handle_error`),
   * unless the handler was handed the failure (a `write` that threw, a
   * `flush` that rejected: an event stream sees its reader leave so), or
   * it was a stall, logged when the server ended it: then the connection
   * just ends.
   */
  async #sendFailure(): Promise<void> {
    const handled = this.wfile.failureSeen;
    try {
      await this.wfile.flush();
    } catch (error) {
      if (!handled) throw error;
      this.close_connection = true;
    }
  }

  /**
   * Waits for the first byte of the next request, then reads it. The
   * connection ending first (end of stream, a reset, a shutdown or
   * `keep_alive_timeout`) is normal traffic, not worth a word.
   */
  #awaitRequest(): void | Promise<void> {
    if (this.rfile.buffered > 0) {
      return this.#afterStart(this.#requestStarted());
    }
    if (this.#tracker?.draining) return this.#afterStart(false);
    const seconds = this.#firstRequest
      ? this.headers_timeout
      : this.keep_alive_timeout;
    this.#setPhase(Phase.Idle, seconds);
    return this.rfile.waitForData().then(this.#onData, this.#onWaitFailed);
  }

  readonly #onData = (more: boolean): void | Promise<void> =>
    this.#afterStart(more && this.#requestStarted());

  readonly #onWaitFailed = (error: unknown): void | Promise<void> => {
    if (error instanceof Deno.errors.TimedOut) throw error;
    return this.#afterStart(false);
  };

  #requestStarted(): true {
    const tracked = this.#tracked;
    // A connection's first head is timed from the connection (its wait
    // for the first byte had `headers_timeout` already): the same phase
    // goes on, its clock not restarted, or a client could take twice the
    // limit by waiting before it trickles.
    const keepClock = this.#firstRequest && tracked?.phase === Phase.Idle;
    this.#firstRequest = false;
    // A head deadline that passed while nothing raced it (an async
    // parse_request override still at work) belongs to the last request.
    this.#expiry = null;
    this.#expire = null;
    if (keepClock && tracked) tracked.phase = Phase.Head;
    else this.#setPhase(Phase.Head, this.headers_timeout);
    return true;
  }

  #setPhase(phase: Phase, seconds: number | null): void {
    const tracked = this.#tracked;
    if (tracked === null) return;
    tracked.phase = phase;
    tracked.limit = seconds === null ? Infinity : seconds * 1000;
    tracked.changes++;
  }

  #onDeadline(phase: Phase): void {
    if (phase === Phase.Busy) {
      // Stalled: the waiting read or write fails as a timed-out one would,
      // and Python's `Request timed out` line is logged here (the handler
      // may have returned, its response still going out).
      this.#stalled = true;
      const timedOut = new Deno.errors.TimedOut("timed out");
      this.#reader.abort(timedOut);
      this.wfile.abort(timedOut);
      try {
        this.log_error("Request timed out: %r", TIMEOUT_REPR);
      } catch (error) {
        // An override that throws is reported as any handler's error, not
        // left to end the process from the server's timer.
        this.server.handle_error(this.request, this.client_address, error);
      }
    }
    if (phase === Phase.Idle || phase === Phase.Busy) {
      try {
        this.connection.close();
      } catch {
        // Closed already.
      }
      return;
    }
    this.#expiryPromise();
    this.#expire?.(new HeadTimeout("request head timed out"));
  }

  #expiryPromise(): Promise<never> {
    if (this.#expiry === null) {
      this.#expiry = new Promise<never>((_, reject) => this.#expire = reject);
      this.#expiry.catch(() => {});
    }
    return this.#expiry;
  }

  /** `read`, given up when `headers_timeout` passes first. */
  #race<T>(read: Promise<T>): Promise<T> {
    if (this.headers_timeout === null) return read;
    return Promise.race([read, this.#expiryPromise()]);
  }

  /** The client took longer than `headers_timeout` to send a request head. */
  #headTimedOut(): void {
    if (!this.#requestLineRead) {
      this.requestline = "";
      this.request_version = "";
      this.command = "";
    }
    this.#framing = null;
    try {
      this.send_error(408);
    } finally {
      this.close_connection = true;
    }
  }

  /**
   * Parses `raw_requestline` and the headers that follow it: sets
   * `command`, `path`, `request_version`, `headers` and `close_connection`;
   * answers `Expect: 100-continue`. Resolves `false` after sending the error
   * a malformed request deserves (or with none, for an empty line).
   *
   * @example Refuse some requests before any `do_` method runs
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Guarded extends BaseHTTPRequestHandler {
   *   override async parse_request(): Promise<boolean> {
   *     if (!await super.parse_request()) return false;
   *     if (this.path.startsWith("/private")) {
   *       this.send_error(403);
   *       return false;
   *     }
   *     return true;
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Guarded)(new Request("http://localhost/private/x"));
   * equal(res.status, 403);
   * ```
   */
  parse_request(): Promise<boolean> {
    return Promise.resolve(this.#parseRequest());
  }

  #parseRequest(): boolean | Promise<boolean> {
    this.command = null;
    this.request_version = this.default_request_version;
    this.close_connection = true;
    this.#framing = null;
    const requestline = stripLineEnd(this.#rawLine);
    this.requestline = requestline;
    const line = parseRequestLine(
      requestline,
      this.protocol_version,
      this.default_request_version,
    );
    if (line.kind === "empty") return false;
    if (line.kind === "error") {
      this.request_version = line.requestVersion;
      this.send_error(line.code, line.message);
      return false;
    }
    this.close_connection = line.closeConnection;
    this.command = line.command;
    this.path = line.path;
    this.request_version = line.requestVersion;
    this.#atLeast11 = line.atLeast11;
    const read = this.#readHeaderLines();
    if (typeof read === "number") return this.#parseHeaders(read);
    return read.then((verdict) => this.#parseHeaders(verdict));
  }

  /** Reads header lines into `#headerLines` without awaiting what is buffered. */
  #readHeaderLines(): LineVerdict | Promise<LineVerdict> {
    this.#headerLines.length = 0;
    this.#headerCount = 0;
    const rfile = this.rfile;
    while (true) {
      const line = rfile.readLineLatin1(MAX_LINE + 1);
      if (typeof line !== "string") return this.#readHeaderLinesSlowly(line);
      const verdict = this.#takeHeaderLine(line);
      if (verdict !== MORE) return verdict;
    }
  }

  async #readHeaderLinesSlowly(pending: Promise<string>): Promise<LineVerdict> {
    let verdict = this.#takeHeaderLine(await this.#race(pending));
    while (verdict === MORE) {
      let line = this.rfile.readLineLatin1(MAX_LINE + 1);
      if (typeof line !== "string") line = await this.#race(line);
      verdict = this.#takeHeaderLine(line);
    }
    return verdict;
  }

  /** Python's `_read_headers` step for one line. */
  #takeHeaderLine(line: string): LineVerdict {
    if (line.length > MAX_LINE) return LINE_TOO_LONG;
    if (++this.#headerCount > MAX_HEADERS) return TOO_MANY;
    if (isBlockEnd(line)) return DONE;
    this.#headerLines.push(line);
    return MORE;
  }

  #parseHeaders(verdict: LineVerdict): boolean | Promise<boolean> {
    if (verdict === LINE_TOO_LONG) {
      this.send_error(
        431,
        "Line too long",
        `got more than ${MAX_LINE} bytes when reading header line`,
      );
      return false;
    }
    if (verdict === TOO_MANY) {
      this.send_error(
        431,
        "Too many headers",
        `got more than ${MAX_HEADERS} headers`,
      );
      return false;
    }
    // Lines that are not plain fields (rare) are refused where another
    // parser may read the body's framing from them another way.
    const { fields, refusal } = readHeaderBlock(this.#headerLines);
    this.headers = new this.MessageClass(fields);
    if (refusal !== null) {
      this.send_error(refusal.code, refusal.message, refusal.explain);
      return false;
    }
    let connection: string | null = null;
    let expect: string | null = null;
    let contentLength: string[] | null = null;
    let transferEncoding: string[] | null = null;
    for (const [name, value] of fields) {
      // Only four names matter here; their lengths rule out the others
      // without lower-casing them.
      const size = name.length;
      if (size !== 10 && size !== 6 && size !== 14 && size !== 17) continue;
      const lower = name.toLowerCase();
      if (lower === "connection") connection ??= value;
      else if (lower === "expect") expect ??= value;
      else if (lower === "content-length") (contentLength ??= []).push(value);
      else if (lower === "transfer-encoding") {
        (transferEncoding ??= []).push(value);
      }
    }
    const conntype = connection?.toLowerCase();
    if (conntype === "close") this.close_connection = true;
    else if (
      conntype === "keep-alive" && this.protocol_version >= "HTTP/1.1"
    ) {
      this.close_connection = false;
    }
    const framing = contentLength === null && transferEncoding === null
      ? NO_BODY
      : requestFraming({
        contentLength: contentLength ?? [],
        transferEncoding: transferEncoding ?? [],
      });
    if (framing.kind === "invalid") {
      this.send_error(400, framing.message);
      return false;
    }
    this.#framing = framing;
    this.#bodyStart = this.rfile.position;
    if (framing.kind === "chunked") this.#reader.watchChunked();
    if (
      expect !== null && expect.toLowerCase() === "100-continue" &&
      this.protocol_version >= "HTTP/1.1" &&
      this.request_version >= "HTTP/1.1"
    ) {
      return this.handle_expect_100();
    }
    return true;
  }

  /**
   * Decides about `Expect: 100-continue` (HTTP/1.1 on both sides): sends
   * `100 Continue` and returns `true` (the default), or sends an error and
   * returns `false` to refuse the body. May be `async`.
   *
   * @example Refuse large uploads before they are sent
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Small extends BaseHTTPRequestHandler {
   *   override protocol_version = "HTTP/1.1";
   *   override handle_expect_100(): boolean {
   *     if (Number(this.headers.get("Content-Length")) > 1000) {
   *       this.send_error(413);
   *       return false;
   *     }
   *     return super.handle_expect_100() as boolean;
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Small)(new Request("http://localhost/", {
   *   method: "PUT",
   *   headers: { "Expect": "100-continue", "Content-Length": "5000" },
   *   body: "x".repeat(5000),
   * }));
   * equal(res.status, 413);
   * ```
   */
  handle_expect_100(): boolean | Promise<boolean> {
    this.send_response_only(100);
    this.end_headers();
    return true;
  }

  /**
   * After a request: what the handler left of its body is discarded (or
   * the connection closes), so that it is never read as the next request.
   */
  #settleBody(): void | Promise<void> {
    if (this.#tracker?.draining) this.close_connection = true;
    const framing = this.#framing;
    const rfile = this.#reader;
    if (rfile.waiting) {
      // A read the handler started and stopped waiting for (a race against
      // a timer, say) may yet take bytes of the body or of the next
      // request: where the next request starts can no longer be known.
      this.#framing = null;
      this.close_connection = true;
      this.#linger = true;
      return;
    }
    if (framing === null) return;
    this.#framing = null;
    const read = rfile.position - this.#bodyStart;
    if (framing.kind === "length") {
      const left = framing.length - read;
      if (left === 0) return;
      if (left < 0) {
        this.close_connection = true;
      } else if (this.close_connection || left > DISCARD_LIMIT) {
        this.close_connection = true;
        this.#linger = left > rfile.buffered;
      } else {
        return this.#discard(rfile.skip(left).then((n) => n === left));
      }
      return;
    }
    if (framing.kind === "chunked") {
      if (!this.#atLeast11) this.close_connection = true;
      if (this.close_connection) {
        this.#linger = !rfile.unwatch();
        return;
      }
      return this.#discard(
        rfile.discardChunked(DISCARD_LIMIT).then(() => rfile.unwatch()),
      );
    }
    // No body: reading past the head took bytes of the next request.
    if (read > 0) this.close_connection = true;
  }

  /** Waits for a discard (within `headers_timeout`); closes when it fails. */
  async #discard(done: Promise<boolean>): Promise<void> {
    this.#setPhase(Phase.Head, this.headers_timeout);
    try {
      if (!await this.#race(done)) this.close_connection = true;
    } catch (error) {
      // The answer is sent: a client gone meanwhile is not worth a report.
      if (!(error instanceof HeadTimeout) && !isDisconnect(error)) throw error;
      this.close_connection = true;
    } finally {
      this.#setPhase(Phase.Busy, null);
    }
  }

  /**
   * Sends what the last handler wrote before the connection closes. Its
   * writes only queued, so a failure to send them (the client gone) shows
   * now; it is reported as Python's write would have raised it in the
   * handler (`handle_error`, or Python's `Request timed out` line), unless
   * the handler was handed the failure or the server logged a stall.
   */
  async #reportLastSend(): Promise<void> {
    const wfile = this.wfile;
    const handled = wfile.failureSeen;
    try {
      await wfile.flush();
    } catch (error) {
      if (handled || this.#stalled) return;
      if (!(error instanceof Deno.errors.TimedOut)) throw error;
      this.log_error("Request timed out: %r", TIMEOUT_REPR);
    }
  }

  /**
   * Closing while the client still sends a body would make the system
   * reset the connection, and the client could lose the response: send
   * the end of stream, read what arrives for a moment, then close.
   */
  async #lingerBeforeClose(): Promise<void> {
    try {
      await this.wfile.flush();
      await this.connection.closeWrite?.();
    } catch {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pause = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, LINGER_MS);
    });
    const drained = this.rfile.skip(Number.MAX_SAFE_INTEGER).catch(() => 0);
    await Promise.race([drained, pause]);
    clearTimeout(timer);
  }

  /**
   * Sends an error response: logs it, sends status `code` with
   * `Connection: close`, and (except for 1xx, 204, 205 and 304, and for
   * HEAD requests) an HTML page built from `error_message_format`.
   *
   * @example
   * ```ts
   * import { equal, ok } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Teapot extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_error(418, "Short and stout");
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Teapot)(new Request("http://localhost/"));
   * equal(res.status, 418);
   * equal(res.statusText, "Short and stout");
   * ok((await res.text()).includes("<p>Message: Short and stout.</p>"));
   * ```
   */
  send_error(
    code: number,
    message?: string | null,
    explain?: string | null | { explain?: string | null },
  ): void;
  /** `send_error()` with `message` and `explain` given as keywords. */
  send_error(
    code: number,
    options: { message?: string | null; explain?: string | null },
  ): void;
  send_error(code: number, ...args: unknown[]): void {
    const { message, explain } = errorArgs(args);
    const known = this.responses[code];
    const finalMessage = message ?? known?.[0] ?? "???";
    const finalExplain = explain ?? known?.[1] ?? "???";
    this.log_error("code %d, message %s", code, finalMessage);
    this.send_response(code, finalMessage);
    this.send_header("Connection", "close");
    let body: Uint8Array | null = null;
    if (code >= 200 && code !== 204 && code !== 205 && code !== 304) {
      const page = percentFormat(this.error_message_format, {
        code,
        message: escapeHtml(finalMessage),
        explain: escapeHtml(finalExplain),
      });
      // Python encodes the page with errors="replace": a lone surrogate
      // becomes "?" (TextEncoder would write U+FFFD).
      body = this[ERROR_PAGE](utf8Codec.encode(page, "replace"), code);
      this.send_header("Content-Type", this.error_content_type);
      this.send_header("Content-Length", String(body.length));
    }
    this.end_headers();
    if (this.command !== "HEAD" && body && body.length > 0) {
      this.wfile.write(body);
    }
  }

  /**
   * Starts a response: logs the request, buffers the status line for
   * `code` (reason `message`, default the standard phrase) and the `Server`
   * and `Date` headers.
   *
   * @example
   * ```ts
   * import { equal, ok } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Created extends BaseHTTPRequestHandler {
   *   do_PUT(): void {
   *     this.send_response(201, "Made It");
   *     this.send_header("Content-Length", "0");
   *     this.end_headers();
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Created)(
   *   new Request("http://localhost/", { method: "PUT" }),
   * );
   * equal(res.status, 201);
   * equal(res.statusText, "Made It");
   * ok(res.headers.get("server")?.startsWith("BaseHTTP/0.6 Deno/"));
   * ```
   */
  send_response(
    code: number,
    message?: string | null | { message?: string | null },
  ): void;
  send_response(code: number, ...args: unknown[]): void {
    const message = messageArg("send_response", args);
    this.log_request(code);
    this.send_response_only(code, message);
    this.send_header("Server", this.version_string());
    this.send_header("Date", this.date_time_string());
  }

  /**
   * Buffers the status line only (no log line, no headers): with
   * `wfile.write` of raw bytes after `end_headers()`, the handler controls
   * every byte. Nothing is buffered for an HTTP/0.9 request.
   *
   * @throws {RangeError} When `code` is not an integer from 100 to 999.
   * @throws {TypeError} When `message` holds CR, LF or NUL.
   * @throws {UnicodeEncodeError} When `message` holds a character beyond
   * Latin-1, as Python's (a `TypeError` too).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Bare extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_response_only(200, "Raw");
   *     this.end_headers();
   *     this.wfile.write(new TextEncoder().encode("written raw"));
   *   }
   * }
   * const res = await createFetchHandler(Bare)(new Request("http://localhost/"));
   * equal(res.statusText, "Raw");
   * equal(res.headers.has("server"), false);
   * equal(await res.text(), "written raw");
   * ```
   */
  send_response_only(
    code: number,
    message?: string | null | { message?: string | null },
  ): void;
  send_response_only(code: number, ...args: unknown[]): void {
    const reason = messageArg("send_response_only", args) ??
      this.#reason(code);
    const protocol = this.protocol_version;
    if (this.request_version === "HTTP/0.9") {
      checkStatus(code, reason); // checked, not buffered
    } else if (!this.#head.follows(code, reason, protocol)) {
      this.#head.add(
        code,
        reason,
        protocol,
        statusLine(protocol, code, reason),
      );
    }
    this.#interim = code < 200;
  }

  /**
   * Buffers header `keyword: value`. `Connection: close` or `keep-alive`
   * also sets `close_connection`.
   *
   * @throws {TypeError} When the name is not a valid header name, or the
   * name or value holds CR, LF or NUL (header injection); for a
   * `Connection` value that is not a string, after buffering the line
   * (Python's `AttributeError` from `value.lower()`).
   * @throws {UnicodeEncodeError} When the value holds a character beyond
   * Latin-1, as Python's (a `TypeError` too).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
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
   *     this.send_header("Content-Length", "0");
   *     this.end_headers();
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Safe)(new Request("http://localhost/"));
   * equal(res.headers.get("x-rejected"), "true");
   * equal(res.headers.has("set-cookie"), false);
   * ```
   */
  send_header(keyword: string, value: string | number): void {
    const text = typeof value === "string" ? value : pyStr(value);
    if (this.request_version === "HTTP/0.9") {
      checkHeader(keyword, text); // checked, not buffered
    } else if (!this.#head.follows(keyword, text, HEADER_CALL)) {
      this.#head.add(keyword, text, HEADER_CALL, headerLine(keyword, text));
    }
    if (keyword.length === 10 && keyword.toLowerCase() === "connection") {
      // Python lower-cases the value itself: a number has no lower().
      if (typeof value !== "string") {
        throw new TypeError(
          `'${typeName(value)}' object has no attribute 'lower'`,
        );
      }
      const lowered = text.toLowerCase();
      if (lowered === "close") this.close_connection = true;
      else if (lowered === "keep-alive") this.close_connection = false;
    }
  }

  /**
   * Ends the response head: buffers the blank line and sends the head
   * (`flush_headers()`). Body writes to `wfile` follow.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Ok extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_response(200);
   *     this.send_header("Content-Length", "2");
   *     this.end_headers();
   *     this.wfile.write("ok");
   *   }
   *   override log_message(): void {}
   * }
   * equal(await (await createFetchHandler(Ok)(new Request("http://localhost/"))).text(), "ok");
   * ```
   *
   * @throws {Error} When nothing was buffered on this connection yet
   * (Python's `AttributeError`): call `send_response()` first.
   */
  end_headers(): void {
    if (this.request_version === "HTTP/0.9") return;
    const flushesItself =
      this.flush_headers !== BaseHTTPRequestHandler.prototype.flush_headers;
    const head = this.#head;
    if (!this.#interim && !flushesItself && head.repeatsKept()) {
      // Every call repeated the last head's: its bytes, held as end_headers
      // holds a head (below).
      this.wfile.hold(head.takeKept());
      return;
    }
    if (head.text === null) {
      throw new Error("end_headers: call send_response() first");
    }
    head.end();
    // Python's end_headers calls flush_headers, which sends the head at
    // once. Unless a subclass overrides that hook, the head is held instead
    // and leaves in one system call with the body (a body written after an
    // `await`, as `copyfile` writes it, would otherwise follow in a second
    // packet), or when the handler returns.
    // An interim response (100 Continue) goes at once: the client waits
    // for it before it sends the body.
    if (this.#interim || flushesItself) {
      this.flush_headers();
    } else {
      this.#sendHead(true);
    }
  }

  /**
   * Writes the buffered head lines to `wfile` and empties the buffer
   * (`end_headers()` calls it after adding the blank line).
   *
   * @example The head so far, then the rest written raw
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, createFetchHandler } from "@pyport/web/http/server";
   * class Parts extends BaseHTTPRequestHandler {
   *   do_GET(): void {
   *     this.send_response_only(200);
   *     this.send_header("Content-Length", "2");
   *     this.flush_headers();
   *     this.wfile.write("\r\nok"); // the blank line and the body
   *   }
   * }
   * const res = await createFetchHandler(Parts)(new Request("http://localhost/"));
   * equal(await res.text(), "ok");
   * ```
   */
  flush_headers(): void {
    // A head sent in parts is not kept to be repeated.
    this.#head.forget();
    // After end_headers, which held the head to join the body, this sends
    // it now: Python's head is on the wire once flush_headers returns.
    if (this.#head.text === "") this.wfile.release();
    else this.#sendHead(false);
  }

  /** Queues the buffered head for the client; `hold`: with what follows. */
  #sendHead(hold: boolean): void {
    if (!this.#head.text) return;
    const head = this.#head.take();
    if (hold) this.wfile.hold(head, "latin-1");
    else this.wfile.write(head, "latin-1");
  }

  /**
   * Whether `method`, the `do_` method just called, writes its body as
   * soon as it has made its head: never, here. Package-internal.
   *
   * @ignore
   */
  [BODY_FOLLOWS_HEAD](_method: unknown): boolean {
    return false;
  }

  /**
   * The bytes `send_error` sends for its `page` (for status `code`): the
   * page itself. Package-internal.
   *
   * @ignore
   */
  [ERROR_PAGE](page: Uint8Array, _code: number): Uint8Array {
    return page;
  }

  /**
   * Does what `send_response(code)`, a `send_header(name, value)` for each
   * of `fields()` and `end_headers()` would, from `kept` (a head this
   * method returned before) while it still stands for them, else from a
   * head made now (and returned, to be kept): the log line first, then the
   * head, with the current date. `null`, doing nothing, when a subclass (or
   * a patch) replaced one of the hooks that make a head, or for HTTP/0.9:
   * the caller then calls the hooks. `fields` must not hold `Connection`.
   * Package-internal.
   *
   * @ignore
   */
  [SEND_KEPT_HEAD](
    code: number,
    kept: HeadTemplate | null,
    fields: () => readonly (readonly [string, string])[],
  ): HeadTemplate | null {
    if (!this.#plainHead() || this.request_version === "HTTP/0.9") return null;
    // Logged first, as send_response does: an override may change what
    // the head is made of, and an error making it still follows the line.
    this.log_request(code);
    const template = kept !== null && this.#stillMatches(kept)
      ? kept
      : this.#headTemplate(code, fields());
    this.#interim = code < 200;
    const wfile = this.wfile;
    // A header buffered before send_response goes first, as the hooks
    // would send it.
    const head = this.#head;
    head.forget();
    const buffered = head.take();
    if (buffered) wfile.hold(buffered, "latin-1");
    wfile.hold(template.before);
    wfile.hold(currentDateBytes());
    wfile.hold(template.after, "latin-1");
    head.followAgain();
    return template;
  }

  /** The head `send_response(code)` and a `send_header` per field would make. */
  #headTemplate(
    code: number,
    fields: readonly (readonly [string, string])[],
  ): HeadTemplate {
    const message = this.#reason(code);
    const before = statusLine(this.protocol_version, code, message) +
      headerLine("Server", this.version_string()) + "Date: ";
    let after = "\r\n";
    for (const [name, value] of fields) {
      // Guards the package's own callers: a kept head cannot set
      // close_connection as send_header("Connection", ...) does.
      if (name.length === 10 && name.toLowerCase() === "connection") {
        throw new TypeError("a kept head cannot carry Connection");
      }
      after += headerLine(name, value);
    }
    return {
      code,
      before: sharedBytes(before),
      after: after + "\r\n",
      protocol: this.protocol_version,
      message,
      server: this.server_version,
      sys: this.sys_version,
    };
  }

  /** Whether `template` is still what this handler's status line and `Server` make. */
  #stillMatches(template: HeadTemplate): boolean {
    return template.protocol === this.protocol_version &&
      template.message === this.#reason(template.code) &&
      template.server === this.server_version &&
      template.sys === this.sys_version;
  }

  /** The status line's default reason phrase for `code` (`responses`). */
  #reason(code: number): string {
    return this.responses[code]?.[0] ?? "";
  }

  /**
   * Whether the hooks that make a head are this module's own (not a
   * subclass's, nor a patch of this class's prototype).
   */
  #plainHead(): boolean {
    const own = OWN_HEAD_HOOKS;
    return this.send_response === own.send_response &&
      this.send_response_only === own.send_response_only &&
      this.send_header === own.send_header &&
      this.end_headers === own.end_headers &&
      this.flush_headers === own.flush_headers &&
      this.version_string === own.version_string &&
      this.date_time_string === own.date_time_string;
  }

  /**
   * Logs an accepted request: `"GET / HTTP/1.1" 200 -`.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const lines: string[] = [];
   * class Logged extends BaseHTTPRequestHandler {
   *   override log_message(format: string, ...args: unknown[]): void {
   *     lines.push([format, ...args].join(" "));
   *   }
   * }
   * const handler = new Logged(null!, ["127.0.0.1", 1], null!);
   * handler.requestline = "GET / HTTP/1.1";
   * handler.log_request(200);
   * equal(lines[0], '"%s" %s %s GET / HTTP/1.1 200 -');
   * ```
   */
  log_request(
    code?: number | string | { code?: number | string; size?: number | string },
    size?: number | string | { size?: number | string },
  ): void;
  log_request(...args: unknown[]): void {
    const { code, size } = logRequestArgs(args);
    this.log_message(
      REQUEST_FORMAT,
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
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const lines: string[] = [];
   * class Logged extends BaseHTTPRequestHandler {
   *   override log_message(format: string, ...args: unknown[]): void {
   *     lines.push([format, ...args].join(" "));
   *   }
   * }
   * new Logged(null!, ["127.0.0.1", 1], null!).log_error("code %d", 404);
   * equal(lines[0], "code %d 404");
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
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const lines: string[] = [];
   * class Collecting extends BaseHTTPRequestHandler {
   *   override log_message(format: string, ...args: unknown[]): void {
   *     lines.push(`${format} ${args.join(" ")}`);
   *   }
   * }
   * new Collecting(null!, ["127.0.0.1", 1], null!).log_error("code %d", 404);
   * equal(lines[0], "code %d 404");
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
    writeStderr(
      `${this.address_string()} - - [${this.log_date_time_string()}] ${
        escapeLogMessage(message)
      }\n`,
    );
  }

  /**
   * `server_version` and `sys_version`, as the `Server` header shows them.
   *
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
   * ok(handler.version_string().startsWith("BaseHTTP/0.6 Deno/"));
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
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
   * equal(handler.date_time_string(0), "Thu, 01 Jan 1970 00:00:00 GMT");
   * // Python's date_time_string(timestamp=0):
   * equal(handler.date_time_string({ timestamp: 0 }), "Thu, 01 Jan 1970 00:00:00 GMT");
   * ```
   */
  date_time_string(
    timestamp?: number | null | { timestamp?: number | null },
  ): string;
  date_time_string(...args: unknown[]): string {
    return httpDate(timestampArg(args));
  }

  /**
   * The local time as log lines show it: `24/Nov/2026 05:40:00`.
   *
   * @example
   * ```ts
   * import { match } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
   * match(handler.log_date_time_string(), /^\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d$/);
   * ```
   */
  log_date_time_string(): string {
    return logDate(this.monthname);
  }

  /**
   * The client address as log lines show it (its host).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
   * equal(handler.address_string(), "127.0.0.1");
   * ```
   */
  address_string(): string {
    const address = this.client_address;
    return typeof address === "string" ? address : address[0];
  }
}

const NO_BODY: BodyFraming = { kind: "none" };

/**
 * The hooks that make a head as this module defines them, taken before any
 * code can patch the prototype: a head is kept only while these run.
 */
const OWN_HEAD_HOOKS = headHooksOf(BaseHTTPRequestHandler.prototype);

/** The methods of `own` that make a response head. */
function headHooksOf(own: BaseHTTPRequestHandler) {
  return Object.freeze({
    send_response: own.send_response,
    send_response_only: own.send_response_only,
    send_header: own.send_header,
    end_headers: own.end_headers,
    flush_headers: own.flush_headers,
    version_string: own.version_string,
    date_time_string: own.date_time_string,
  });
}
