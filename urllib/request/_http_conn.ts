/**
 * The socket under HTTPHandler and HTTPSHandler: one TCP (or TLS)
 * connection per request, as Python's urllib uses with `Connection: close`,
 * read through a buffer, with Python's per-operation `timeout` and an
 * `AbortSignal` that ends the connection at any point.
 *
 * Every wait here is bounded: by the timeout, by the signal, and, for line
 * reads, by http.client's 65,536-byte line limit.
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPConnection` (request,
 * `_tunnel`) and `HTTPResponse` (`_read_status`, headers, chunked and sized
 * bodies).
 *
 * @module
 */
import { encodeText } from "../../_util/codec/mod.ts";
import { latin1Decode, latin1Encode } from "../../_util/latin1.ts";
import { LineTooLong, TimeoutError, URLError } from "../error.ts";
import { MAX_LINE } from "./_response_head.ts";
import { sslErrorOf } from "./ssl_error.ts";

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
  /** Ends the connection, whatever it is doing, when it aborts. */
  signal?: AbortSignal | null;
  tls: boolean;
  /** The name TLS verifies (the tunnelled host when going through a proxy). */
  tlsHostname?: string;
  caCerts?: string[];
  /** Whether the certificate must name `tlsHostname` (default true). */
  checkHostname?: boolean;
}

/** The error every operation rejects with once `signal` has aborted. */
export function abortError(signal: AbortSignal): URLError {
  return new URLError(signal.reason);
}

/** The longest delay `setTimeout` takes; a longer one fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** What a connection to port 0 fails with: Linux's words, as Deno gives them. */
const REFUSED = "Connection refused (os error 111)";

/**
 * Port 0 accepts no connection. Python asks the system, which looks the
 * name up and then refuses the connection; Deno would throw a RangeError
 * of its own before either. So the name is looked up (a name that does not
 * resolve fails as such), then the connection refused.
 */
async function refusePortZero(
  hostname: string,
  opts: ConnectOptions,
  signal: AbortSignal | null,
): Promise<never> {
  const { lookup } = await import("node:dns/promises");
  await guard(lookup(hostname), opts.timeout, signal, () => {});
  throw new Deno.errors.ConnectionRefused(REFUSED);
}

/** A timer of {@linkcode longTimeout}. */
interface LongTimer {
  cancel(): void;
}

/**
 * Runs `fn` after `ms` milliseconds, however long: a delay beyond what
 * `setTimeout` takes (about 24.8 days) is waited out in steps, where
 * `setTimeout` itself would fire at once (a `timeout` of 3,000,000 s timed
 * out after a millisecond).
 */
function longTimeout(fn: () => void, ms: number): LongTimer {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    timer = left > MAX_DELAY_MS
      ? setTimeout(() => arm(left - MAX_DELAY_MS), MAX_DELAY_MS)
      : setTimeout(fn, left);
  };
  arm(ms);
  return { cancel: () => clearTimeout(timer) };
}

/**
 * Waits for `op`, for at most `timeout` seconds (rejecting with
 * {@linkcode TimeoutError}) and until `signal` aborts (rejecting with
 * `URLError(signal.reason)`); `giveUp` runs when either comes first, and
 * should make `op` end (by closing its socket).
 */
export function guard<T>(
  op: Promise<T>,
  timeout: number | null,
  signal: AbortSignal | null,
  giveUp: () => void,
): Promise<T> {
  if (timeout === null && signal === null) return op;
  return new Promise<T>((resolve, reject) => {
    let timer: LongTimer | undefined;
    const settle = () => {
      timer?.cancel();
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      settle();
      giveUp();
      reject(error);
    };
    const onAbort = () => fail(abortError(signal as AbortSignal));
    op.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error) => {
        settle();
        // An op ended by an abort (its socket closed under it) reports the abort.
        reject(signal?.aborted ? abortError(signal) : error);
      },
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeout !== null) {
      timer = longTimeout(() => fail(new TimeoutError()), timeout * 1000);
    }
  });
}

/**
 * Python's `timeout=0`: a non-blocking socket, whose `connect` fails at once
 * with `BlockingIOError` (EINPROGRESS), every time; here a
 * `Deno.errors.WouldBlock`, before any connection is attempted.
 */
function nonBlockingConnect(): Error {
  return new Deno.errors.WouldBlock("[Errno 115] Operation now in progress");
}

/** A buffered connection with per-operation timeouts and an abort signal. */
export class Connection {
  #conn: Deno.Conn;
  #timeout: number | null;
  #signal: AbortSignal | null;
  #aborted = false;
  #buf = new Uint8Array(MIN_BUF);
  #nextSize = MIN_BUF;
  #start = 0;
  #end = 0;
  #closed = false;
  #onAbort = (): void => {
    this.#aborted = true;
    this.close();
  };

  private constructor(
    conn: Deno.Conn,
    timeout: number | null,
    signal: AbortSignal | null,
  ) {
    this.#conn = conn;
    this.#timeout = timeout;
    this.#signal = signal;
    // An abort closes the socket even while nobody is reading, and later
    // reads report it.
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Connects (and completes the TLS handshake when asked). */
  static async open(opts: ConnectOptions): Promise<Connection> {
    if (opts.timeout === 0) throw nonBlockingConnect();
    const signal = opts.signal ?? null;
    if (signal?.aborted) throw abortError(signal);
    if (opts.port === 0) await refusePortZero(opts.hostname, opts, signal);
    const cancel = new AbortController();
    const connecting = Deno.connect({
      hostname: opts.hostname,
      port: opts.port,
      signal: cancel.signal,
    });
    const tcp = await guard(connecting, opts.timeout, signal, () => {
      cancel.abort();
      // Connected as the wait gave up, just before or after: nobody will
      // use the socket.
      connecting.then((tcp) => tcp.close(), () => {});
    });
    tcp.setNoDelay(true);
    const conn = new Connection(tcp, opts.timeout, signal);
    if (opts.tls) await conn.startTls(opts);
    return conn;
  }

  /** Upgrades this connection to TLS (after a CONNECT, or right away for https). */
  async startTls(opts: ConnectOptions): Promise<void> {
    this.#checkAborted();
    // Bytes read past a proxy's answer to CONNECT came in the clear, before
    // the handshake: never part of what TLS protects. Left in the buffer,
    // they were read as the start of the server's response, so the proxy
    // could forge an https response. They are dropped, as http.client's
    // tunnel drops what its buffered reader took beyond the proxy's head.
    this.#start = this.#end = 0;
    const hostname = opts.tlsHostname ?? opts.hostname;
    const tlsOpts: Deno.StartTlsOptions = { hostname };
    if (opts.caCerts && opts.caCerts.length > 0) tlsOpts.caCerts = opts.caCerts;
    if (opts.checkHostname === false) {
      tlsOpts.unsafelyDisableHostnameVerification = true;
    }
    const tls = await this.#wait(
      Deno.startTls(this.#conn as Deno.TcpConn, tlsOpts),
    );
    this.#conn = tls;
    try {
      await this.#wait(tls.handshake());
    } catch (error) {
      throw sslErrorOf(error, hostname);
    }
  }

  #checkAborted(): void {
    if (this.#aborted) throw abortError(this.#signal as AbortSignal);
  }

  #wait<T>(op: Promise<T>): Promise<T> {
    return guard(op, this.#timeout, this.#signal, () => this.close());
  }

  /**
   * `op` (a wait that is not this socket's own, such as the caller's next
   * body chunk), given up when the request's signal aborts.
   */
  untilAborted<T>(op: Promise<T>): Promise<T> {
    return guard(op, null, this.#signal, () => this.close());
  }

  /** Writes every byte of `data`. */
  async writeAll(data: Uint8Array): Promise<void> {
    let at = 0;
    while (at < data.length) {
      this.#checkAborted();
      at += await this.#wait(this.#conn.write(data.subarray(at)));
    }
  }

  async #socketRead(dst: Uint8Array): Promise<number | null> {
    this.#checkAborted();
    if (this.#closed) return null;
    try {
      return await this.#wait(this.#conn.read(dst));
    } catch (err) {
      if (err instanceof TimeoutError || err instanceof URLError) throw err;
      if (this.#closed && err instanceof Deno.errors.BadResource) return null;
      throw err;
    }
  }

  /** Reads at most `dst.length` bytes: buffered ones first, then straight from the socket. */
  async readInto(dst: Uint8Array): Promise<number | null> {
    this.#checkAborted();
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

  /**
   * Reads one line with its `\n` as Latin-1 text (`""` at EOF), as
   * http.client's `readline(65537)`: longer than 65,536 bytes throws
   * {@linkcode LineTooLong} naming `what` (`"header line"`), after reading
   * no more than that.
   */
  async readLine(what: string): Promise<string> {
    let text = "";
    let total = 0;
    while (total <= MAX_LINE) {
      if (this.#start >= this.#end && await this.#refill() === null) break;
      const view = this.#buf.subarray(this.#start, this.#end);
      const room = Math.min(view.length, MAX_LINE + 1 - total);
      const nl = view.subarray(0, room).indexOf(10);
      const take = nl < 0 ? room : nl + 1;
      text += latin1Decode(view.subarray(0, take));
      this.#start += take;
      total += take;
      if (nl >= 0) break;
    }
    // A line of exactly 65,537 bytes with its `\n` is too long too.
    if (total > MAX_LINE) throw new LineTooLong(what);
    return text;
  }

  /**
   * The next `n` bytes, when all of them are buffered already (a copy);
   * `null` when some are still to come.
   */
  takeBuffered(n: number): Uint8Array | null {
    if (this.#end - this.#start < n) return null;
    const bytes = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return bytes;
  }

  /** The abort's error once the request's signal has aborted, else `null`. */
  abortError(): URLError | null {
    return this.#signal?.aborted ? abortError(this.#signal) : null;
  }

  /** Closes the socket; pending reads end. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or a timeout.
    }
  }
}

/**
 * Encodes text whose characters are all below U+0100, as Python's Latin-1
 * headers; anything else throws Python's `UnicodeEncodeError`.
 */
export function latin1Bytes(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) return encodeText(text, "latin-1");
  }
  return latin1Encode(text);
}
