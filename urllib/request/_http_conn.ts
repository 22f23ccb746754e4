/**
 * The HTTP/1.1 client transport behind HTTPHandler and HTTPSHandler: one
 * TCP (or TLS) connection per request, as Python's urllib uses with
 * `Connection: close`, written and parsed by hand so that the bytes on the
 * wire are Python's (header names, order, no extra defaults) and the
 * response keeps the server's reason phrase and repeated headers.
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPConnection` (request,
 * `_tunnel`) and `HTTPResponse` (`_read_status`, headers, chunked and sized
 * bodies).
 *
 * @module
 */
import { escapeCodePoint } from "../../_util/py_repr.ts";
import { HTTPMessage } from "../../_util/http_message.ts";
import {
  BadStatusLine,
  IncompleteRead,
  RemoteDisconnected,
  TimeoutError,
} from "../error.ts";
import type { BodySource } from "./response.ts";

const MAX_LINE = 65536;
const MAX_HEADERS = 100;
// Socket reads go through a buffer that starts at 16 KiB and grows (up to
// 1 MiB) while reads keep filling it: a big download then needs one call
// into Deno per 1 MiB rather than per 64 KiB read, and each call costs far
// more than a copy (measured: a 1 GiB read(65536) loop takes about half the
// time). Small responses keep a small buffer. It also bounds how far ahead
// of the caller the body is pulled.
const MIN_BUF = 16384;
const MAX_BUF = 1 << 20;

/** Where to connect and how. */
export interface ConnectOptions {
  hostname: string;
  port: number;
  /** Seconds for connecting and for each read, or `null` for no limit. */
  timeout: number | null;
  tls: boolean;
  /** The name TLS verifies (the tunnelled host when going through a proxy). */
  tlsHostname?: string;
  caCerts?: string[];
  /** Whether the certificate must name `tlsHostname` (default true). */
  checkHostname?: boolean;
}

/** Races `p` against `timeout` seconds, running `onTimeout` when it loses. */
export function withTimeout<T>(
  p: Promise<T>,
  timeout: number | null,
  onTimeout: () => void,
): Promise<T> {
  if (timeout === null) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError());
    }, Math.max(0, timeout * 1000));
  });
  p.catch(() => {});
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/** A buffered connection with per-read timeouts. */
export class Connection {
  #conn: Deno.Conn;
  #timeout: number | null;
  #buf = new Uint8Array(MIN_BUF);
  #nextSize = MIN_BUF;
  #start = 0;
  #end = 0;
  #closed = false;

  private constructor(conn: Deno.Conn, timeout: number | null) {
    this.#conn = conn;
    this.#timeout = timeout;
  }

  /** Connects (and completes the TLS handshake when asked). */
  static async open(opts: ConnectOptions): Promise<Connection> {
    let raw: Deno.Conn | null = null;
    let timedOut = false;
    const connecting = (async () => {
      const tcp = await Deno.connect({
        hostname: opts.hostname,
        port: opts.port,
      });
      raw = tcp;
      if (timedOut) tcp.close();
      tcp.setNoDelay(true);
      return tcp;
    })();
    const tcp = await withTimeout(connecting, opts.timeout, () => {
      timedOut = true;
      (raw as Deno.Conn | null)?.close();
    });
    const conn = new Connection(tcp, opts.timeout);
    if (opts.tls) await conn.startTls(opts);
    return conn;
  }

  /** Upgrades this connection to TLS (after a CONNECT, or right away for https). */
  async startTls(opts: ConnectOptions): Promise<void> {
    const hostname = opts.tlsHostname ?? opts.hostname;
    const tlsOpts: Deno.StartTlsOptions = { hostname };
    if (opts.caCerts && opts.caCerts.length > 0) tlsOpts.caCerts = opts.caCerts;
    if (opts.checkHostname === false) {
      tlsOpts.unsafelyDisableHostnameVerification = true;
    }
    const tls = await Deno.startTls(this.#conn as Deno.TcpConn, tlsOpts);
    this.#conn = tls;
    await withTimeout(tls.handshake(), this.#timeout, () => this.close());
  }

  /** Writes every byte of `data`. */
  async writeAll(data: Uint8Array): Promise<void> {
    let at = 0;
    while (at < data.length) {
      const n = await withTimeout(
        this.#conn.write(data.subarray(at)),
        this.#timeout,
        () => this.close(),
      );
      at += n;
    }
  }

  async #socketRead(dst: Uint8Array): Promise<number | null> {
    if (this.#closed) return null;
    try {
      return await withTimeout(
        this.#conn.read(dst),
        this.#timeout,
        () => this.close(),
      );
    } catch (err) {
      if (err instanceof TimeoutError) throw err;
      if (this.#closed && err instanceof Deno.errors.BadResource) return null;
      throw err;
    }
  }

  /** Reads at most `dst.length` bytes: buffered ones first, then straight from the socket. */
  async readInto(dst: Uint8Array): Promise<number | null> {
    if (dst.length === 0) return 0;
    if (this.#start < this.#end) {
      const n = Math.min(dst.length, this.#end - this.#start);
      dst.set(this.#buf.subarray(this.#start, this.#start + n));
      this.#start += n;
      return n;
    }
    if (dst.length >= MAX_BUF) return await this.#socketRead(dst);
    if (await this.#refill() === null) return null;
    return await this.readInto(dst);
  }

  /** Refills the empty buffer, first growing it when the last refill filled it. */
  async #refill(): Promise<number | null> {
    if (this.#nextSize > this.#buf.length) {
      this.#buf = new Uint8Array(this.#nextSize);
    }
    const n = await this.#socketRead(this.#buf);
    if (n === null) return null;
    this.#start = 0;
    this.#end = n;
    if (n === this.#buf.length) this.#nextSize = Math.min(MAX_BUF, n * 4);
    return n;
  }

  /** Reads exactly `n` bytes, or fewer at EOF. */
  async readExactly(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const got = await this.readInto(out.subarray(filled));
      if (got === null) break;
      filled += got;
    }
    return out.subarray(0, filled);
  }

  /** Reads one line with its `\n` (empty at EOF); longer than 64 KiB is an error. */
  async readLine(): Promise<string> {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (true) {
      if (this.#start >= this.#end && await this.#refill() === null) break;
      const view = this.#buf.subarray(this.#start, this.#end);
      const nl = view.indexOf(10);
      const take = nl < 0 ? view.length : nl + 1;
      parts.push(view.slice(0, take));
      this.#start += take;
      total += take;
      if (total > MAX_LINE) {
        throw new BadStatusLine(
          "got more than 65536 bytes when reading a line",
        );
      }
      if (nl >= 0) break;
    }
    let text = "";
    for (const part of parts) text += latin1(part);
    return text;
  }

  /** Closes the socket; pending reads end. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or a timeout.
    }
  }
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/** Encodes text whose characters are all below U+0100, as Python's latin-1 headers. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) {
      throw new TypeError(
        `'latin-1' codec can't encode character '${
          escapeCodePoint(text.codePointAt(i) as number)
        }' in position ${i}: ordinal not in range(256)`,
      );
    }
    out[i] = code;
  }
  return out;
}

/** A parsed status line and header block. */
export interface ResponseHead {
  version: number;
  status: number;
  reason: string;
  headers: HTTPMessage;
}

async function readStatus(conn: Connection): Promise<[number, number, string]> {
  const line = await conn.readLine();
  if (line === "") throw new RemoteDisconnected();
  const trimmed = line.replace(/\r?\n$/, "");
  const m = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(trimmed.trim());
  if (!m) throw new BadStatusLine(trimmed);
  const [, versionText = "", codeText = "", reason = ""] = m;
  if (!versionText.startsWith("HTTP/")) throw new BadStatusLine(trimmed);
  if (!/^\d{3}$/.test(codeText)) throw new BadStatusLine(trimmed);
  const version = versionText === "HTTP/1.0" ? 10 : 11;
  if (!/^HTTP\/1\.\d$/.test(versionText)) throw new BadStatusLine(trimmed);
  return [version, Number(codeText), reason.trim()];
}

async function readHeaders(conn: Connection): Promise<HTTPMessage> {
  const pairs: [string, string][] = [];
  while (true) {
    const line = await conn.readLine();
    if (line === "" || line === "\r\n" || line === "\n") break;
    const text = line.replace(/\r?\n$/, "");
    const last = pairs[pairs.length - 1];
    if (/^[ \t]/.test(text) && last) {
      // An obsolete folded continuation line: join it to the previous value.
      last[1] = `${last[1]} ${text.trim()}`;
      continue;
    }
    if (pairs.length >= MAX_HEADERS) {
      throw new BadStatusLine(`got more than ${MAX_HEADERS} headers`);
    }
    const colon = text.indexOf(":");
    if (colon <= 0) continue;
    pairs.push([text.slice(0, colon), text.slice(colon + 1).trim()]);
  }
  return new HTTPMessage(pairs);
}

/** Reads the status line and headers, skipping `100 Continue` interim replies. */
export async function readResponseHead(
  conn: Connection,
): Promise<ResponseHead> {
  while (true) {
    const [version, status, reason] = await readStatus(conn);
    const headers = await readHeaders(conn);
    if (status !== 100) return { version, status, reason, headers };
  }
}

class LengthBody implements BodySource {
  #conn: Connection;
  #left: number;
  constructor(conn: Connection, length: number) {
    this.#conn = conn;
    this.#left = length;
  }
  async readInto(buf: Uint8Array): Promise<number | null> {
    if (this.#left <= 0) return null;
    const n = await this.#conn.readInto(
      buf.subarray(0, Math.min(buf.length, this.#left)),
    );
    if (n === null) return null;
    this.#left -= n;
    return n;
  }
  missing(): number {
    return this.#left;
  }
  close(): void {
    this.#conn.close();
  }
}

class UntilCloseBody implements BodySource {
  #conn: Connection;
  constructor(conn: Connection) {
    this.#conn = conn;
  }
  readInto(buf: Uint8Array): Promise<number | null> {
    return this.#conn.readInto(buf);
  }
  close(): void {
    this.#conn.close();
  }
}

class ChunkedBody implements BodySource {
  #conn: Connection;
  #chunkLeft = 0;
  #done = false;
  constructor(conn: Connection) {
    this.#conn = conn;
  }
  async #nextChunk(): Promise<void> {
    const line = await this.#conn.readLine();
    const size = line.split(";", 1)[0]?.trim() ?? "";
    if (!/^[0-9a-fA-F]+$/.test(size)) {
      this.close();
      throw new IncompleteRead(new Uint8Array(0));
    }
    this.#chunkLeft = parseInt(size, 16);
    if (this.#chunkLeft === 0) {
      // Trailers end with an empty line (or the connection's end).
      while (true) {
        const trailer = await this.#conn.readLine();
        if (trailer === "" || trailer === "\r\n" || trailer === "\n") break;
      }
      this.#done = true;
    }
  }
  async readInto(buf: Uint8Array): Promise<number | null> {
    if (this.#done) return null;
    if (this.#chunkLeft === 0) {
      await this.#nextChunk();
      if (this.#done) return null;
    }
    const n = await this.#conn.readInto(
      buf.subarray(0, Math.min(buf.length, this.#chunkLeft)),
    );
    if (n === null) throw new IncompleteRead(new Uint8Array(0));
    this.#chunkLeft -= n;
    if (this.#chunkLeft === 0) await this.#conn.readExactly(2);
    return n;
  }
  close(): void {
    this.#conn.close();
  }
}

class EmptyBody implements BodySource {
  #conn: Connection;
  constructor(conn: Connection) {
    this.#conn = conn;
  }
  readInto(): Promise<number | null> {
    return Promise.resolve(null);
  }
  close(): void {
    this.#conn.close();
  }
}

/** The body framing http.client picks for this response. */
export function bodySource(
  conn: Connection,
  head: ResponseHead,
  method: string,
): BodySource {
  const { status, headers } = head;
  if (
    status === 204 || status === 304 || (status >= 100 && status < 200) ||
    method === "HEAD"
  ) {
    conn.close();
    return new EmptyBody(conn);
  }
  const te = headers.get("transfer-encoding");
  if (te !== null && te.toLowerCase() === "chunked") {
    return new ChunkedBody(conn);
  }
  const lengthText = headers.get("content-length");
  if (lengthText !== null && /^\s*[+]?\d+\s*$/.test(lengthText)) {
    const length = Number(lengthText.trim());
    if (length === 0) {
      conn.close();
      return new EmptyBody(conn);
    }
    return new LengthBody(conn, length);
  }
  return new UntilCloseBody(conn);
}
