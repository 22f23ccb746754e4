/**
 * Reading a response off a {@linkcode Connection}: the status line and
 * headers (skipping `100 Continue`), then the body framing http.client
 * picks (chunked, `Content-Length`, or until the connection closes).
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPResponse`'s body reading (`_read_chunked`, `_safe_read`, `IncompleteRead`).
 *
 * @module
 */
import { HTTPMessage } from "../../_util/http_message.ts";
import { HTTPException, IncompleteRead, RemoteDisconnected } from "../error.ts";
import { type Connection, latin1Bytes } from "./_http_conn.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { pyInt } from "../../_util/py_int.ts";
import { ASCII_SPACE, pyStrip } from "../../_util/py_str.ts";
import {
  HeaderBlock,
  MAX_HEADERS,
  parseStatusLine,
  protocolVersion,
} from "./_response_head.ts";
import { type BodySource, BytesSource } from "./response.ts";

/** How many `100 Continue` replies may come before the real one. */
const MAX_INTERIM = 100;
const EMPTY = new Uint8Array(0);

/** A parsed status line and header block. */
export interface ResponseHead {
  version: number;
  status: number;
  reason: string;
  headers: HTTPMessage;
}

/**
 * Where http.client's `debuglevel` output goes (Python prints it to
 * stdout), or `null` for none.
 */
export type DebugPrint = ((text: string) => void) | null;

/**
 * Reads header lines up to the blank one; `lines` gets each as read, the
 * blank one included (http.client's `_read_headers` list).
 */
async function readHeaderPairs(
  conn: Connection,
  lines: string[] | null = null,
): Promise<[string, string][]> {
  const block = new HeaderBlock();
  while (true) {
    const line = await conn.readLine("header line");
    lines?.push(line);
    if (block.feed(line)) return block.pairs;
  }
}

/**
 * Reads the status line and headers, skipping `100 Continue` interim
 * replies; with `debug`, prints what http.client prints at `debuglevel`
 * 1 (`reply:` for each status line, `header:` for each header).
 */
export async function readResponseHead(
  conn: Connection,
  debug: DebugPrint = null,
): Promise<ResponseHead> {
  for (let interim = 0;; interim++) {
    const line = await conn.readLine("status line");
    debug?.(`reply: ${pyRepr(line)}`);
    if (line === "") throw new RemoteDisconnected();
    const { versionText, status, reason } = parseStatusLine(line);
    if (status === 100) {
      if (interim >= MAX_INTERIM) {
        throw new HTTPException(
          `got more than ${MAX_INTERIM} interim responses`,
        );
      }
      const skipped = debug ? [] : null;
      await readHeaderPairs(conn, skipped);
      if (skipped) debug?.(`headers: ${pyRepr(skipped.map(latin1Bytes))}`);
      continue;
    }
    const version = protocolVersion(versionText);
    const headers = new HTTPMessage(await readHeaderPairs(conn));
    if (debug) {
      for (const [name, value] of headers.items()) {
        debug(`header: ${name}: ${value}`);
      }
    }
    return { version, status, reason, headers };
  }
}

/**
 * Reads a proxy's answer to CONNECT: its head, and the header lines as
 * sent (http.client's `_raw_proxy_headers`), which `debug` prints.
 */
export async function readTunnelHead(
  conn: Connection,
  debug: DebugPrint = null,
): Promise<{ status: number; reason: string }> {
  const line = await conn.readLine("status line");
  if (line === "") throw new RemoteDisconnected();
  const { status, reason } = parseStatusLine(line);
  const raw: string[] = [];
  await readHeaderPairs(conn, raw);
  for (const header of raw) debug?.(`header: ${header}`);
  return { status, reason };
}

/**
 * A body read off `conn`: closing it closes the socket, and once the
 * request's signal aborts, the response's reads reject (`abortError`).
 */
abstract class ConnectionBody implements BodySource {
  protected readonly conn: Connection;
  constructor(conn: Connection) {
    this.conn = conn;
  }
  abstract readInto(buf: Uint8Array): Promise<number | null>;
  abortError(): Error | null {
    return this.conn.abortError();
  }
  close(): void {
    this.conn.close();
  }
}

class LengthBody extends ConnectionBody {
  #left: number;
  constructor(conn: Connection, length: number) {
    super(conn);
    this.#left = length;
  }
  async readInto(buf: Uint8Array): Promise<number | null> {
    if (this.#left <= 0) return null;
    const n = await this.conn.readInto(
      buf.subarray(0, Math.min(buf.length, this.#left)),
    );
    if (n === null) return null;
    this.#left -= n;
    return n;
  }
  missing(): number {
    return this.#left;
  }
}

class UntilCloseBody extends ConnectionBody {
  readInto(buf: Uint8Array): Promise<number | null> {
    return this.conn.readInto(buf);
  }
}

/** A chunk size line's number, or `null` when it is not hex digits (after any `;ext`). */
export function parseChunkSize(line: string): number | null {
  // As int(line, 16) reads bytes: ASCII whitespace around the digits.
  const text = pyStrip(line.split(";", 1)[0] ?? "", ASCII_SPACE);
  // Python's int() also takes a plus sign, a 0x prefix and single
  // underscores between digits.
  const match = /^\+?(?:0[xX]_?)?([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/.exec(text);
  if (match === null) return null;
  // Leading zeros are allowed (`1*HEXDIG`); 13 significant hex digits stay
  // exact as a number, and nobody sends a bigger chunk.
  const digits = /^0*([0-9a-fA-F]{1,13})$/.exec(match[1]!.replaceAll("_", ""))
    ?.[1];
  return digits === undefined ? null : parseInt(digits, 16);
}

/**
 * A chunked body, read as http.client reads it: the CR LF after a chunk is
 * skipped when the next one is wanted; the trailer is read and dropped.
 */
class ChunkedBody extends ConnectionBody {
  // Bytes left in the current chunk; null before a chunk-size line.
  #left: number | null = null;
  // Bytes handed out of a chunk whose data has not all arrived.
  #unfinished = 0;
  #done = false;
  #lostAtSize = false;

  /** Closes the connection; the error for a body cut short there. */
  #cut(
    partial: Uint8Array = EMPTY,
    expected: number | null = null,
  ): IncompleteRead {
    this.close();
    return new IncompleteRead(partial, expected);
  }

  /** Bytes left in the current chunk, reading the next size line when needed; null at the end. */
  async #chunkLeft(): Promise<number | null> {
    if (this.#left === 0) {
      // As http.client's _safe_read(2): what came of the CR LF, and how
      // many of its bytes are missing.
      const crlf = await this.conn.readExactly(2);
      if (crlf.length < 2) throw this.#cut(crlf.slice(), 2 - crlf.length);
      this.#left = null;
    }
    if (this.#left === null) {
      const size = parseChunkSize(await this.conn.readLine("chunk size"));
      if (size === null) {
        this.#lostAtSize = true;
        throw this.#cut();
      }
      if (size === 0) {
        await this.#discardTrailer();
        this.#done = true;
        this.close();
        return null;
      }
      this.#left = size;
    }
    return this.#left;
  }

  /** Reads the trailer up to its empty line: at most 100 lines, as a header block. */
  async #discardTrailer(): Promise<void> {
    for (let lines = 1;; lines++) {
      if (lines > MAX_HEADERS) {
        throw new HTTPException(`got more than ${MAX_HEADERS} trailer lines`);
      }
      const line = await this.conn.readLine("trailer line");
      if (line === "" || line === "\r\n" || line === "\n") return;
    }
  }

  async readInto(buf: Uint8Array): Promise<number | null> {
    if (this.#done) return null;
    const left = await this.#chunkLeft();
    if (left === null) return null;
    const n = await this.conn.readInto(
      buf.subarray(0, Math.min(buf.length, left)),
    );
    if (n === null) throw this.#cut();
    this.#left = left - n;
    this.#unfinished = this.#left === 0 ? 0 : this.#unfinished + n;
    return n;
  }

  unfinishedChunk(): number {
    return this.#unfinished;
  }

  finished(): boolean {
    return this.#done;
  }

  lostAtSize(): boolean {
    return this.#lostAtSize;
  }
}

/**
 * A Content-Length body that had all arrived with the head: served from
 * memory, its socket closed at once. A response nobody reads or closes (an
 * `HTTPError` caught and dropped, say) then holds no file descriptor;
 * CPython's would be closed by reference counting as soon as it is dropped.
 */
class ArrivedBody extends ConnectionBody {
  #bytes: BytesSource;
  constructor(bytes: Uint8Array, conn: Connection) {
    super(conn);
    this.#bytes = new BytesSource(bytes);
  }
  readInto(buf: Uint8Array): Promise<number | null> {
    return this.#bytes.readInto(buf);
  }
  missing(): number {
    return this.#bytes.left;
  }
  /** Its socket was closed when the body arrived. */
  override close(): void {}
}

class EmptyBody implements BodySource {
  readInto(): Promise<number | null> {
    return Promise.resolve(null);
  }
  /** Nothing is missing: http.client's `length` is 0, not unknown. */
  missing(): number {
    return 0;
  }
  close(): void {}
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
    return new EmptyBody();
  }
  const te = headers.get("transfer-encoding");
  if (te !== null && te.toLowerCase() === "chunked") {
    return new ChunkedBody(conn);
  }
  const lengthText = headers.get("content-length");
  // http.client's int(): "0_3" is 3; a negative or malformed length, none.
  const length = lengthText === null ? null : pyInt(lengthText);
  if (length !== null && length >= 0) {
    if (length === 0) {
      conn.close();
      return new EmptyBody();
    }
    const arrived = conn.takeBuffered(length);
    if (arrived !== null) {
      conn.close();
      return new ArrivedBody(arrived, conn);
    }
    return new LengthBody(conn, length);
  }
  return new UntilCloseBody(conn);
}
