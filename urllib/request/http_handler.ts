/**
 * `HTTPHandler` and `HTTPSHandler`: urllib's HTTP(S) transport, Python's
 * `AbstractHTTPHandler` request preparation and `http.client` wire format.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `AbstractHTTPHandler`,
 * `HTTPHandler` and `HTTPSHandler`.
 *
 * @module
 */
import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import { pyInt } from "../../_util/py_int.ts";
import { HTTPException, InvalidURL, URLError } from "../error.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";
import { HTTPResponse } from "./response.ts";
import { SSLContext } from "./ssl_context.ts";
import {
  capitalize,
  splitHost,
  splitType,
  titleCase,
  URL_FORBIDDEN,
} from "./_split.ts";
import { Connection, type ConnectOptions, latin1Bytes } from "./_http_conn.ts";
import {
  bodySource,
  type DebugPrint,
  readResponseHead,
  readTunnelHead,
} from "./_http_body.ts";
import { pyRepr, reprBytes } from "../../_util/py_repr.ts";
import { encodeText, UnicodeEncodeError } from "../../_util/codec/mod.ts";
import { encodeChunk, LAST_CHUNK } from "../../_util/chunk_encoding.ts";
import { asBytes, isBytesLike } from "../../_util/bytes_like.ts";
import { typeName } from "../../_util/py_type_name.ts";
import { latin1Decode } from "../../_util/latin1.ts";
import { urlsplit } from "../parse/split.ts";
import { Buffer } from "node:buffer";
import { idnaAuthority, idnaHostname, idnaTarget } from "./_idna_host.ts";

/** Seconds past which Python's socket timeout overflows (64-bit nanoseconds). */
const MAX_TIMEOUT = 2 ** 63 / 1e9;

// http.client's rules: matching control characters is their whole point.
// deno-lint-ignore no-control-regex
const METHOD_FORBIDDEN = /[\x00-\x1f]/;
const NON_ASCII = /[^\t\n\r -~]/;
const VALUE_FORBIDDEN = /[\r\n\0]/;
const NON_LATIN1 = /[^\0-\xff]/;

function findControl(text: string, pattern: RegExp): string | null {
  const m = pattern.exec(text);
  return m ? m[0] : null;
}

function checkUrlPart(text: string): void {
  const bad = findControl(text, URL_FORBIDDEN);
  if (bad !== null) {
    throw new InvalidURL(
      `URL can't contain control characters. ${pyRepr(text)} (found at least ${
        pyRepr(bad)
      })`,
    );
  }
  if (NON_ASCII.test(text)) {
    throw new InvalidURL(
      `URL can't contain non-ASCII characters: ${pyRepr(text)}`,
    );
  }
}

/**
 * The header line `name: value` as http.client writes it: the name as
 * ASCII and the value as Latin-1 (anything else is Python's
 * UnicodeEncodeError), bytes as they are, an int (a bool is one) in
 * decimal; any other value is refused, as Python's header check refuses it.
 */
function headerLine(name: string, value: unknown): string {
  if (NON_ASCII.test(name)) encodeText(name, "ascii");
  if (!/^[^:\s][^:\r\n]*$/.test(name)) {
    // Python shows the name as the bytes it checked.
    throw new TypeError(`Invalid header name ${pyRepr(latin1Bytes(name))}`);
  }
  const text = headerValueText(value);
  if (NON_LATIN1.test(text)) encodeText(text, "latin-1");
  // Stricter than http.client, which lets "\r\n " folds through: any CR,
  // LF or NUL in a value could split the header block.
  if (VALUE_FORBIDDEN.test(text)) {
    throw new TypeError(`Invalid header value ${pyRepr(latin1Bytes(text))}`);
  }
  return `${name}: ${text}`;
}

/** A header value as http.client's `putheader` takes it, as Latin-1 text. */
function headerValueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (isBytesLike(value)) return latin1Decode(asBytes(value));
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "bigint" || Number.isSafeInteger(value)) {
    return String(value);
  }
  throw new TypeError(
    `expected string or bytes-like object, got '${typeName(value)}'`,
  );
}

/** An `http.client` error that is not also an OSError (RemoteDisconnected is). */
function isProtocolError(err: unknown): boolean {
  return err instanceof HTTPException &&
    !(err instanceof Deno.errors.ConnectionReset);
}

/**
 * The `Host` http.client sends for a request that has none: the authority
 * of a full URL sent to a proxy, else the host connected to (or tunnelled
 * to), bracketed when IPv6, with its port unless the default one; a zone
 * (`%eth0`) is cut off with what follows it.
 */
function defaultHost(
  selector: string,
  tunnelHost: string | null,
  hostname: string,
  port: number,
  tls: boolean,
): string {
  const netloc = selector.startsWith("http") ? urlsplit(selector).netloc : "";
  // As http.client: a full URL's port goes with its zone, a host's stays.
  if (netloc !== "") return withoutZone(netloc);
  const [name, number] = tunnelHost
    ? hostPort(tunnelHost, 443)
    : [hostname, port];
  const host = name.includes(":") ? withoutZone(`[${name}]`) : name;
  return number === (tls ? 443 : 80) ? host : `${host}:${number}`;
}

/** `[fe80::1%eth0]…` as `[fe80::1]`: the zone, and all after it, cut. */
function withoutZone(host: string): string {
  const zone = host.indexOf("%");
  return zone === -1 ? host : `${host.slice(0, zone)}]`;
}

/**
 * Splits `host[:port]` as http.client does, with `[v6]` brackets removed and
 * a name beyond ASCII in its IDNA form, as Python's socket resolves it.
 */
function hostPort(host: string, defaultPort: number): [string, number] {
  let name = host;
  let port = defaultPort;
  const colon = host.lastIndexOf(":");
  const bracket = host.lastIndexOf("]");
  if (colon > bracket) {
    const text = host.slice(colon + 1);
    if (text !== "") {
      // Python's int(): `+80`, ` 80`, `8_0` are ports too.
      const value = pyInt(text);
      if (value === null) throw new InvalidURL(`nonnumeric port: '${text}'`);
      // Python hands any int on, and glibc wraps 99999 round to another
      // port (-1 fails to resolve): a number that names no port is refused.
      if (value < 0 || value > 65535) {
        throw new InvalidURL(`port out of range: '${text}'`);
      }
      port = value;
    }
    name = host.slice(0, colon);
  }
  if (name.startsWith("[") && name.endsWith("]")) name = name.slice(1, -1);
  return [idnaHostname(name), port];
}

/**
 * Python's `AbstractHTTPHandler`: fills in the headers urllib adds
 * (`do_request_`) and performs the exchange (`do_open`). Both HTTP
 * handlers extend it.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { AbstractHTTPHandler, Request } from "@pyport/web/urllib/request";
 * import { OpenerDirector } from "@pyport/web/urllib/request";
 * const handler = new AbstractHTTPHandler();
 * handler.add_parent(new OpenerDirector());
 * const req = handler.do_request_(new Request("http://h.test/x", { data: new Uint8Array(3) }));
 * assert(req.get_header("Content-length") === "3");
 * assert(req.get_header("Host") === "h.test");
 * ```
 */
export class AbstractHTTPHandler extends BaseHandler {
  /**
   * Python's `debuglevel`: above 0, the exchange is printed to stdout as
   * http.client prints it (`send:`, `reply:`, `header:` lines).
   */
  _debuglevel: number;

  /** `new AbstractHTTPHandler(debuglevel?)` (also `HTTPHandler`); default 0. */
  constructor(debuglevel?: number | null);
  /** Keyword form. */
  constructor(options: { debuglevel?: number | null });
  constructor(...args: unknown[]) {
    super();
    const { debuglevel } = pyArgs({
      fn: new.target.name,
      names: ["debuglevel"] as const,
      defaults: { debuglevel: null as number | null },
    }, args);
    this._debuglevel = debuglevel ?? 0;
  }

  /** Python's `set_http_debuglevel(level)`. */
  set_http_debuglevel(level: number): void {
    this._debuglevel = level;
  }

  /** Python's `do_request_`: adds Host, User-agent, Content-type and length. */
  do_request_(request: Request): Request {
    if (!request.host) throw new URLError("no host given");
    const data = request.data;
    if (data !== null) {
      if (typeof data === "string") {
        throw new TypeError(
          "POST data should be bytes, an iterable of bytes, or a file object. It cannot be of type str.",
        );
      }
      if (
        !isBytesLike(data) && !isFileBody(data) &&
        !isIterable(contentsOf(data))
      ) {
        // Python finds this out in `send`, once connected.
        throw new TypeError(
          `message_body should be a bytes-like object or an iterable, got <class '${
            typeName(data)
          }'>`,
        );
      }
      if (!request.has_header("Content-type")) {
        request.add_unredirected_header(
          "Content-type",
          "application/x-www-form-urlencoded",
        );
      }
      if (
        !request.has_header("Content-length") &&
        !request.has_header("Transfer-encoding")
      ) {
        if (isBytesLike(data)) {
          request.add_unredirected_header(
            "Content-length",
            String(data.byteLength),
          );
        } else {
          request.add_unredirected_header("Transfer-encoding", "chunked");
        }
      }
    }
    let selHost = request.host;
    if (request.has_proxy()) {
      const [, sel] = splitType(request.selector);
      selHost = splitHost(sel)[0] ?? selHost;
    }
    if (!request.has_header("Host")) {
      // In its IDNA form, as browsers send it: Python writes the name as
      // Latin-1 text, which servers refuse (and fails beyond Latin-1).
      request.add_unredirected_header("Host", idnaAuthority(selHost));
    }
    for (const [name, value] of this.parent?.addheaders ?? []) {
      const key = capitalize(name);
      if (!request.has_header(key)) request.add_unredirected_header(key, value);
    }
    return request;
  }

  /**
   * Python's `do_open`: connects (through a CONNECT tunnel when the request
   * has one), sends the request and reads the status line and headers.
   * Connection failures and send errors arrive as `URLError`; errors while
   * waiting for the answer (a read timeout, a dropped connection, an
   * `HTTPException` for a reply that is not HTTP) arrive bare, as
   * in Python. For TLS, `context` gives the authorities to trust
   * and whether the server's name is checked. When `req.signal` aborts, at
   * any point, the socket is closed and the call (or a later read of the
   * body) rejects with `URLError(signal.reason)`.
   */
  async do_open(
    req: Request,
    tls: boolean,
    context: SSLContext | null = null,
  ): Promise<HTTPResponse> {
    const host = req.host;
    if (!host) throw new URLError("no host given");
    if (req.timeout !== null && !(req.timeout >= 0)) {
      throw new RangeError(
        `Timeout value must be non-negative: ${req.timeout}`,
      );
    }
    // Python's socket counts a timeout in 64-bit nanoseconds: OverflowError
    // beyond about 292 years, infinity included.
    if (req.timeout !== null && !(req.timeout < MAX_TIMEOUT)) {
      throw new RangeError(`timeout out of range: ${req.timeout}`);
    }
    const headers: Record<string, string> = { ...req.unredirected_hdrs };
    for (const [k, v] of Object.entries(req.headers)) {
      if (!Object.hasOwn(headers, k)) headers[k] = v;
    }
    headers["Connection"] = "close";
    const titled = new Map<string, string>();
    for (const [k, v] of Object.entries(headers)) titled.set(titleCase(k), v);
    const tunnelHeaders = new Map<string, string>();
    if (req._tunnel_host) {
      const auth = titled.get("Proxy-Authorization");
      if (auth !== undefined) {
        tunnelHeaders.set("Proxy-Authorization", auth);
        titled.delete("Proxy-Authorization");
      }
    }
    const [hostname, port] = hostPort(host, tls ? 443 : 80);
    checkUrlPart(hostname);
    const method = req.get_method();
    // A proxy's request target is the whole URL: its host in IDNA form too.
    const target = idnaTarget(req.selector);
    const head = this.#serialize(
      method,
      target,
      titled,
      req.data,
      defaultHost(target, req._tunnel_host, hostname, port, tls),
    );
    const opts: ConnectOptions = {
      hostname,
      port,
      timeout: req.timeout,
      signal: req.signal,
      tls: false,
      caCerts: context?.caCerts ?? [],
      checkHostname: context?.check_hostname ?? true,
    };
    const debug: DebugPrint = this._debuglevel > 0
      ? (text) => console.log(text)
      : null;
    let conn: Connection | null = null;
    try {
      try {
        conn = await Connection.open(opts);
        if (req._tunnel_host) {
          await tunnel(conn, req._tunnel_host, tunnelHeaders, debug);
        }
        if (tls) {
          const tlsHost = req._tunnel_host
            ? hostPort(req._tunnel_host, 443)[0]
            : hostname;
          await conn.startTls({ ...opts, tls: true, tlsHostname: tlsHost });
        }
        await sendRequest(conn, head, req.data, titled, debug);
      } catch (err) {
        // Python wraps only OSErrors: an abort is already a URLError, a
        // proxy's unreadable answer to CONNECT an HTTPException; a header
        // beyond Latin-1 is its UnicodeEncodeError, and what the body raised
        // (a chunk of the wrong type, the iterator's own error) its own.
        if (
          err instanceof URLError || isProtocolError(err) ||
          err instanceof UnicodeEncodeError || bodyErrors.has(err as object)
        ) throw err;
        throw new URLError(err);
      }
      const resHead = await readResponseHead(conn, debug);
      const source = bodySource(conn, resHead, method);
      return new HTTPResponse(
        source,
        resHead.headers,
        req.get_full_url(),
        resHead.status,
        resHead.reason,
        resHead.version,
        this._debuglevel,
      );
    } catch (err) {
      conn?.close();
      throw err;
    }
  }

  #serialize(
    method: string,
    selector: string,
    headers: Map<string, string>,
    data: Request["data"],
    host: string,
  ): Uint8Array {
    const badMethod = findControl(method, METHOD_FORBIDDEN);
    if (badMethod !== null) {
      throw new TypeError(
        `method can't contain control characters. ${
          pyRepr(method)
        } (found at least ${pyRepr(badMethod)})`,
      );
    }
    if (NON_ASCII.test(method)) encodeText(method, "ascii");
    checkUrlPart(selector);
    const lower = new Set([...headers.keys()].map((k) => k.toLowerCase()));
    const lines = [`${method} ${selector || "/"} HTTP/1.1`];
    // http.client names the host itself when a request has no Host header
    // (one that did not pass through do_request_).
    if (!lower.has("host")) lines.push(headerLine("Host", host));
    if (!lower.has("accept-encoding")) lines.push("Accept-Encoding: identity");
    if (!lower.has("content-length") && !lower.has("transfer-encoding")) {
      if (
        data === null && ["PATCH", "POST", "PUT"].includes(method.toUpperCase())
      ) {
        lines.push("Content-Length: 0");
      }
    }
    for (const [name, value] of headers) lines.push(headerLine(name, value));
    return latin1Bytes(lines.join("\r\n") + "\r\n\r\n");
  }
}

async function tunnel(
  conn: Connection,
  target: string,
  headers: Map<string, string>,
  debug: DebugPrint,
): Promise<void> {
  const [host, port] = hostPort(target, 443);
  const hostText = host.includes(":") ? `[${host}]` : host;
  // As http.client's set_tunnel: the given headers, then Host (bracketed
  // for IPv6, where http.client writes `::1:443`).
  const lines = [`CONNECT ${hostText}:${port} HTTP/1.1`];
  for (const [name, value] of headers) lines.push(headerLine(name, value));
  if (![...headers.keys()].some((k) => k.toLowerCase() === "host")) {
    lines.push(`Host: ${hostText}:${port}`);
  }
  await send(conn, latin1Bytes(lines.join("\r\n") + "\r\n\r\n"), debug);
  // As http.client: any status but 200 fails, a 100 Continue included.
  const head = await readTunnelHead(conn, debug);
  if (head.status !== 200) {
    conn.close();
    throw tunnelFailed(
      `Tunnel connection failed: ${head.status} ${head.reason}`,
    );
  }
}

/**
 * Python's `OSError("Tunnel connection failed: 407 ...")`: a plain `Error`
 * named `OSError`, since the proxy answered (nothing was refused).
 */
function tunnelFailed(message: string): Error {
  const error = new Error(message);
  error.name = "OSError";
  return error;
}

/** What http.client reads of a file body at a time (its `blocksize`). */
const BLOCK_SIZE = 8192;
/** What is read of a file body for one socket write: eight blocks. */
const BLOCKS_PER_WRITE = 8;

/** A file body: read as it is sent (`Deno.FsFile`, or a `read(p)` alike). */
interface FileBody {
  read(p: Uint8Array): Promise<number | null>;
}

function isFileBody(data: unknown): data is FileBody {
  return typeof data === "object" && data !== null && !isIterable(data) &&
    typeof (data as Partial<FileBody>).read === "function";
}

/**
 * What is sent of a request body other than a file: an object's `readable`
 * stream, else the body itself.
 */
function contentsOf(data: unknown): unknown {
  if (typeof data !== "object" || data === null || isIterable(data)) {
    return data;
  }
  const readable = (data as { readable?: unknown }).readable;
  return readable instanceof ReadableStream ? readable : data;
}

/**
 * Sends a file body as http.client sends it, read as it goes: in blocks of
 * 8192 bytes (each its own chunk when chunked), whatever sizes the reads
 * return. Several blocks leave in one write: the bytes are Python's, and
 * one write a block took uploads to a fifth of the speed.
 */
async function sendFile(
  conn: Connection,
  file: FileBody,
  chunked: boolean,
  debug: DebugPrint,
): Promise<void> {
  debug?.("reading a readable");
  const buffer = new Uint8Array(BLOCK_SIZE * BLOCKS_PER_WRITE);
  let filled = 0;
  let ended = false;
  // Sent before (a retry for authentication): at its end, as Python's
  // file would be, it sends nothing more.
  const spent = file instanceof Deno.FsFile && spentFiles.has(file);
  try {
    while (!ended) {
      // A read that waits (stdin, a pipe) ends at an abort too.
      const count = spent
        ? null
        : await conn.untilAborted(readBlock(file, buffer.subarray(filled)));
      // Python's loop ends at an empty read.
      if (count === null || count === 0) ended = true;
      else filled += count;
      // Whole blocks go now; a last, shorter one at the end.
      const ready = ended ? filled : filled - (filled % BLOCK_SIZE);
      if (ready === 0 && !(ended && chunked)) continue;
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < ready; at += BLOCK_SIZE) {
        const block = buffer.subarray(at, Math.min(at + BLOCK_SIZE, ready));
        pieces.push(chunked ? encodeChunk(block) : block);
      }
      if (ended && chunked) pieces.push(LAST_CHUNK);
      if (debug) {
        for (const piece of pieces) debug(`send: ${reprBytes(piece)}`);
      }
      // Unchunked, the blocks are the buffer's start as it is.
      await conn.writeAll(
        chunked ? Buffer.concat(pieces) : buffer.subarray(0, ready),
      );
      buffer.copyWithin(0, ready, filled);
      filled -= ready;
    }
  } finally {
    // As a file's readable stream did, sent or not (`using` may close it
    // again).
    if (file instanceof Deno.FsFile) {
      spentFiles.add(file);
      closeQuietly(file);
    }
  }
}

/** The files `sendFile` has read and closed. */
const spentFiles = new WeakSet<Deno.FsFile>();

/** Closes `file`, which its owner may have closed already. */
function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch {
    // Closed already: nothing to release.
  }
}

/**
 * One read of a file body: a count, or `null` at its end. What the file
 * itself throws, or a `read` that answers anything else, is the body's own
 * error, raised bare as Python raises it.
 */
async function readBlock(
  file: FileBody,
  into: Uint8Array,
): Promise<number | null> {
  try {
    const count: unknown = await file.read(into);
    if (
      count === null || (Number.isSafeInteger(count) && count as number >= 0)
    ) {
      return count as number | null;
    }
    throw new TypeError(
      `read() should return a byte count or null, not ${pyRepr(count)}`,
    );
  } catch (error) {
    if (typeof error === "object" && error !== null) bodyErrors.add(error);
    throw error;
  }
}

/** Whether a body can be sent chunk by chunk (`for` or `for await`). */
function isIterable(data: unknown): boolean {
  return typeof data === "object" && data !== null &&
    (Symbol.iterator in data || Symbol.asyncIterator in data);
}

/**
 * Errors a request body raised (its iterator's own, or Python's TypeError
 * for a chunk of the wrong type): Python raises them bare, as they are no
 * OSError.
 */
const bodyErrors = new WeakSet<object>();

/** The chunks of an iterable body as bytes; its errors are marked bare. */
async function* bodyChunks(
  data: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const piece of data) yield asBytes(piece);
  } catch (error) {
    if (typeof error === "object" && error !== null) bodyErrors.add(error);
    throw error;
  }
}

/** Writes `data`, printed first as http.client's `send()` prints it. */
function send(
  conn: Connection,
  data: Uint8Array,
  debug: DebugPrint,
): Promise<void> {
  debug?.(`send: ${reprBytes(data)}`);
  return conn.writeAll(data);
}

async function sendRequest(
  conn: Connection,
  head: Uint8Array,
  data: Request["data"],
  headers: Map<string, string>,
  debug: DebugPrint,
): Promise<void> {
  if (data === null) return await send(conn, head, debug);
  // As Python's encode_chunked: a Transfer-Encoding header (set by the
  // caller, or added above for a body of unknown length) frames the body,
  // unless a Content-Length is given too.
  const names = [...headers.keys()].map((name) => name.toLowerCase());
  const chunked = names.includes("transfer-encoding") &&
    !names.includes("content-length");
  if (isBytesLike(data)) {
    const body = asBytes(data);
    const parts = !chunked
      ? [head, body]
      : body.length > 0
      ? [head, encodeChunk(body), LAST_CHUNK]
      : [head, LAST_CHUNK];
    if (debug) {
      // Python sends (and prints) each part on its own; here they leave
      // in one write.
      for (const part of parts) {
        if (part.length === 0) debug("Zero length chunk ignored");
        else debug(`send: ${reprBytes(part)}`);
      }
    }
    return await conn.writeAll(Buffer.concat(parts));
  }
  await send(conn, head, debug);
  if (isFileBody(data)) return await sendFile(conn, data, chunked, debug);
  const contents = contentsOf(data) as
    | AsyncIterable<unknown>
    | Iterable<unknown>;
  const chunks = bodyChunks(contents);
  try {
    while (true) {
      // Waiting for the caller's next chunk ends at an abort too.
      const next = await conn.untilAborted(chunks.next());
      if (next.done) break;
      const chunk = next.value;
      if (chunk.length === 0) {
        debug?.("Zero length chunk ignored");
        continue;
      }
      await send(conn, chunked ? encodeChunk(chunk) : chunk, debug);
    }
  } catch (error) {
    // As a for-await loop left early would: the body may finish its work.
    chunks.return(undefined).catch(() => {});
    throw error;
  }
  if (chunked) await send(conn, LAST_CHUNK, debug);
}

/**
 * Python's `urllib.request.HTTPHandler`: opens `http:` URLs.
 *
 * @example An opener's `http:` requests, with the headers urllib adds
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { build_opener, HTTPHandler } from "@pyport/web/urllib/request";
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   (req) => new Response(req.headers.get("user-agent")),
 * );
 * const opener = build_opener(new HTTPHandler());
 * await using resp = await opener.open(`http://127.0.0.1:${server.addr.port}/`);
 * equal(resp.status, 200);
 * equal(new TextDecoder().decode(await resp.read()), "Python-urllib/3.13");
 * ```
 */
export class HTTPHandler extends AbstractHTTPHandler {
  /** Opens an `http:` request (async). */
  http_open(req: Request): Promise<HTTPResponse> {
    return this.do_open(req, false);
  }

  /**
   * Prepares an `http:` request before it is opened: the base class's
   * `do_request_`, which Python binds under this name (a subclass that
   * overrides `do_request_` leaves it as it was).
   */
  http_request(req: Request): Request {
    return AbstractHTTPHandler.prototype.do_request_.call(this, req);
  }
}

/** The optional arguments of {@linkcode HTTPSHandler}. */
export interface HTTPSHandlerOptions {
  /**
   * Python's `debuglevel`: above 0, the exchange is printed to stdout as
   * http.client prints it, as `HTTPHandler`'s is.
   */
  debuglevel?: number | null;
  /** The TLS context: which authorities to trust, and whether names are checked. */
  context?: SSLContext | null;
  /** When given, sets `context.check_hostname`, on a new context if none is given (as in Python). */
  check_hostname?: boolean | null;
}

/**
 * Python's `urllib.request.HTTPSHandler`: opens `https:` URLs, trusting
 * the authorities of `context` (or the default roots).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { create_default_context, HTTPSHandler } from "@pyport/web/urllib/request";
 * const handler = new HTTPSHandler({ context: create_default_context() });
 * assert(handler.context !== null);
 * // Python's HTTPSHandler(0, check_hostname=False):
 * const lax = new HTTPSHandler(0, { check_hostname: false });
 * assert(lax.context?.check_hostname === false);
 * ```
 */
export class HTTPSHandler extends AbstractHTTPHandler {
  /**
   * The TLS context given (or made to carry `check_hostname` when none
   * was), else `null`: Deno's default roots, names checked.
   */
  context: SSLContext | null;

  /** Every optional argument as a keyword: `new HTTPSHandler({ context, check_hostname })`. */
  constructor(options?: HTTPSHandlerOptions);
  /** Python's positional form: `new HTTPSHandler(debuglevel?, context?, check_hostname?)`. */
  constructor(
    debuglevel?: number | null,
    context?: SSLContext | null,
    check_hostname?: boolean | null,
  );
  /** Some positionally, the rest as keywords: `new HTTPSHandler(0, { context })`. */
  constructor(
    ...args: MixedArgs<
      [
        debuglevel?: number | null,
        context?: SSLContext | null,
        check_hostname?: boolean | null,
      ],
      HTTPSHandlerOptions,
      ["debuglevel", "context", "check_hostname"]
    >
  );
  constructor(...args: unknown[]) {
    const { debuglevel, context, check_hostname } = pyArgs({
      fn: "HTTPSHandler",
      names: ["debuglevel", "context", "check_hostname"] as const,
      defaults: {
        debuglevel: null,
        context: null,
        check_hostname: null,
      } as Required<HTTPSHandlerOptions>,
    }, args);
    super(debuglevel);
    this.context = context ?? null;
    if (check_hostname !== null && check_hostname !== undefined) {
      // As Python: the flag is set on the context, made if none was given.
      this.context ??= new SSLContext();
      this.context.check_hostname = check_hostname;
    }
  }

  /** Opens an `https:` request (async). */
  https_open(req: Request): Promise<HTTPResponse> {
    return this.do_open(req, true, this.context);
  }

  /**
   * Prepares an `https:` request before it is opened: the base class's
   * `do_request_`, as `HTTPHandler.http_request` is.
   */
  https_request(req: Request): Request {
    return AbstractHTTPHandler.prototype.do_request_.call(this, req);
  }
}
