/**
 * A raw HTTP/1.x client over `Deno.connect`, for tests that must send bytes
 * no well-behaved client would send (bad request lines, `..` paths, NUL
 * bytes, HTTP/0.9) and see exactly what came back.
 *
 * @module
 */

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** One response as read off the wire. */
export interface RawResponse {
  /** The status line without CRLF; `""` when none came (HTTP/0.9 or nothing). */
  statusLine: string;
  /** `HTTP/1.0`, `HTTP/1.1`, or `""`. */
  version: string;
  /** Status code, or 0 when the server sent no parseable status line. */
  status: number;
  reason: string;
  /** Header fields in order, names as sent. */
  headers: [string, string][];
  /** Interim (1xx) status lines that came before this response. */
  interim: string[];
  /** The body (decoded from chunked when chunked); empty when discarded. */
  body: Uint8Array;
  /** Body bytes received, also counted when the body is discarded. */
  bodyLength: number;
  /** The server closed the connection (EOF or reset) after this response. */
  closed: boolean;
  /** We gave up waiting. */
  timedOut: boolean;
}

/** Case-insensitive lookup of the first header named `name`. */
export function header(res: RawResponse, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of res.headers) if (k.toLowerCase() === lower) return v;
  return null;
}

/** The body as UTF-8 text. */
export function bodyText(res: RawResponse): string {
  return new TextDecoder().decode(res.body);
}

/** Where to connect. */
export interface Address {
  hostname: string;
  port: number;
}

/** Options for a request. */
export interface SendOptions {
  /** The request is HEAD: a body is never expected. */
  head?: boolean;
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Count body bytes without keeping them (large downloads). */
  discardBody?: boolean;
  /** Return as soon as this many body bytes came (to abort a download). */
  stopAfter?: number;
}

function indexOfCrlfCrlf(buf: Uint8Array, from: number): number {
  for (let i = Math.max(0, from); i + 3 < buf.length; i++) {
    if (
      buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 &&
      buf[i + 3] === 10
    ) return i;
  }
  return -1;
}

interface Head {
  statusLine: string;
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
}

function parseHead(text: string): Head | null {
  const lines = text.split("\r\n");
  const statusLine = lines[0] ?? "";
  const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) return null;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return {
    statusLine,
    version: m[1]!,
    status: Number(m[2]),
    reason: m[3] ?? "",
    headers,
  };
}

function headerOf(head: Head, name: string): string | null {
  for (const [k, v] of head.headers) if (k.toLowerCase() === name) return v;
  return null;
}

/** Decodes a complete chunked body, or returns null when more bytes are needed. */
function decodeChunked(
  buf: Uint8Array,
): { body: Uint8Array; consumed: number } | null {
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    let eol = -1;
    for (let i = pos; i + 1 < buf.length; i++) {
      if (buf[i] === 13 && buf[i + 1] === 10) {
        eol = i;
        break;
      }
    }
    if (eol < 0) return null;
    const size = parseInt(latin1.decode(buf.subarray(pos, eol)), 16);
    if (Number.isNaN(size)) throw new Error("bad chunk size from server");
    pos = eol + 2;
    if (size === 0) {
      const end = indexOfCrlfCrlf(buf, pos - 2);
      if (end < 0) return null;
      return { body: concat(parts), consumed: end + 4 };
    }
    if (buf.length < pos + size + 2) return null;
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A connection that can carry several requests in turn (keep-alive), keeping
 * bytes that arrive past one response for the next.
 */
export class RawConnection {
  #conn: Deno.TcpConn;
  #buf: Uint8Array = new Uint8Array(0);
  #eof = false;
  #closed = false;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Opens a connection. */
  static async open(addr: Address): Promise<RawConnection> {
    const conn = await Deno.connect({
      hostname: addr.hostname,
      port: addr.port,
    });
    return new RawConnection(conn);
  }

  /** Whether the server has closed its side. */
  get eof(): boolean {
    return this.#eof;
  }

  /** Writes raw bytes; false when the server already hung up. */
  async write(data: string | Uint8Array): Promise<boolean> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      let off = 0;
      while (off < bytes.length) {
        off += await this.#conn.write(bytes.subarray(off));
      }
      return true;
    } catch {
      return false;
    }
  }

  async #fill(deadline: number): Promise<"data" | "eof" | "timeout"> {
    if (this.#eof) return "eof";
    const chunk = new Uint8Array(64 * 1024);
    const remaining = deadline - Date.now();
    if (remaining <= 0) return "timeout";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), remaining);
    });
    const read = this.#conn.read(chunk).then(
      (n) => n,
      () => null,
    );
    const got = await Promise.race([read, timeout]);
    clearTimeout(timer);
    if (got === "timeout") {
      // The pending read would swallow bytes; the connection is unusable now.
      this.close();
      return "timeout";
    }
    if (got === null) {
      this.#eof = true;
      return "eof";
    }
    this.#append(chunk.subarray(0, got));
    return "data";
  }

  #append(bytes: Uint8Array): void {
    const next = new Uint8Array(this.#buf.length + bytes.length);
    next.set(this.#buf);
    next.set(bytes, this.#buf.length);
    this.#buf = next;
  }

  /** Reads exactly one response (or what there is at EOF / timeout). */
  async read(options: SendOptions = {}): Promise<RawResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    let headEnd = -1;
    let scanned = 0;
    let head: Head | null = null;
    let bodyLength = 0;
    const bodyParts: Uint8Array[] = [];
    const interim: string[] = [];
    let timedOut = false;
    for (;;) {
      if (headEnd < 0) {
        headEnd = indexOfCrlfCrlf(this.#buf, scanned - 3);
        scanned = this.#buf.length;
        if (headEnd >= 0) {
          head = parseHead(latin1.decode(this.#buf.subarray(0, headEnd)));
          if (!head) headEnd = -1;
          else {
            this.#buf = this.#buf.subarray(headEnd + 4);
            // Interim 1xx: note it and read the real response.
            if (head.status >= 100 && head.status < 200) {
              interim.push(head.statusLine);
              headEnd = -1;
              scanned = 0;
              head = null;
              continue;
            }
          }
        }
      }
      if (head) {
        const done = this.#takeBody(head, options, bodyParts);
        bodyLength += done.taken;
        const stopped = options.stopAfter !== undefined &&
          bodyLength >= options.stopAfter;
        if (done.complete || stopped) {
          return this.#result(
            head,
            bodyParts,
            bodyLength,
            false,
            false,
            interim,
          );
        }
      }
      if (timedOut) break;
      const r = await this.#fill(deadline);
      if (r === "eof") break;
      if (r === "timeout") timedOut = true;
    }
    if (head) {
      // Body delimited by EOF (or cut short): keep what came.
      if (this.#buf.length) {
        bodyLength += this.#buf.length;
        if (!options.discardBody) bodyParts.push(this.#buf);
        this.#buf = new Uint8Array(0);
      }
      return this.#result(head, bodyParts, bodyLength, true, timedOut, interim);
    }
    // No status line: HTTP/0.9-style bare body, or nothing at all.
    const body = this.#buf;
    this.#buf = new Uint8Array(0);
    return {
      statusLine: "",
      version: "",
      status: 0,
      reason: "",
      headers: [],
      interim,
      body,
      bodyLength: body.length,
      closed: true,
      timedOut,
    };
  }

  /** Moves body bytes from the buffer; `complete` when the body has ended. */
  #takeBody(
    head: Head,
    options: SendOptions,
    parts: Uint8Array[],
  ): { complete: boolean; taken: number } {
    const noBody = options.head || head.status === 204 ||
      head.status === 304 || (head.status >= 100 && head.status < 200);
    if (noBody) return { complete: true, taken: 0 };
    const te = headerOf(head, "transfer-encoding");
    if (te && te.toLowerCase().includes("chunked")) {
      const decoded = decodeChunked(this.#buf);
      if (!decoded) return { complete: false, taken: 0 };
      this.#buf = this.#buf.subarray(decoded.consumed);
      if (!options.discardBody) parts.push(decoded.body);
      return { complete: true, taken: decoded.body.length };
    }
    const cl = headerOf(head, "content-length");
    if (cl === null) return { complete: false, taken: 0 };
    const missing = Number(cl) - this.#bodySeen;
    const take = Math.min(this.#buf.length, Math.max(0, missing));
    if (!options.discardBody) parts.push(this.#buf.slice(0, take));
    this.#buf = this.#buf.subarray(take);
    this.#bodySeen += take;
    if (this.#bodySeen >= Number(cl)) {
      this.#bodySeen = 0;
      return { complete: true, taken: take };
    }
    return { complete: false, taken: take };
  }

  /** Body bytes of the current Content-Length response already taken. */
  #bodySeen = 0;

  #result(
    head: Head,
    parts: Uint8Array[],
    bodyLength: number,
    closed: boolean,
    timedOut: boolean,
    interim: string[],
  ): RawResponse {
    this.#bodySeen = 0;
    return {
      ...head,
      interim,
      body: concat(parts),
      bodyLength,
      closed: closed || this.#eof,
      timedOut,
    };
  }

  /** Waits up to `ms` for the server to close; true when it did. */
  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.#eof && !this.#closed) {
      const r = await this.#fill(deadline);
      if (r === "timeout") return false;
    }
    return this.#eof;
  }

  /** Half-closes: the server sees the end of the request stream. */
  async closeWrite(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch {
      // Already closed.
    }
  }

  /** Closes our side (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed by a failed read
    }
  }
}

/**
 * Sends one raw request on a fresh connection and reads one response.
 * The connection is always closed afterwards.
 */
export async function sendRaw(
  addr: Address,
  request: string | Uint8Array,
  options: SendOptions = {},
): Promise<RawResponse> {
  const conn = await RawConnection.open(addr);
  try {
    await conn.write(request);
    return await conn.read(options);
  } finally {
    conn.close();
  }
}

/** Builds a request: `GET /x HTTP/1.0` plus headers plus the blank line. */
export function buildRequest(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  version = "HTTP/1.0",
): string {
  let text = `${method} ${target} ${version}\r\n`;
  for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
  return text + "\r\n";
}
