/**
 * The bytes a handler writes to `wfile`, read back as a fetch `Response`:
 * the status line and headers (interim 1xx responses skipped), then the
 * body as a stream delimited as on the wire (Content-Length, chunked, or
 * the end of the connection), with back-pressure, so a large body never
 * piles up in memory.
 *
 * @module
 */
import { latin1Decode } from "../_util/latin1.ts";
import { pyStrip } from "../_util/py_str.ts";
import { OWS } from "../_util/http_token.ts";
import { ChunkedDecoder } from "./_chunked.ts";
import type { ByteSink } from "./_memory_connection.ts";

/** Longest response head accepted. */
const MAX_HEAD = 1024 * 1024;
/** How many body bytes wait for the client before a write waits too. */
const QUEUED_BYTES = 64 * 1024;
/**
 * Connection-level headers, which the server running the `Response`
 * manages itself (and HTTP/2 forbids).
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);
const STATUS_LINE = /^HTTP\/\d+\.\d+ (\d{3})(?: (.*))?$/;
/**
 * Bytes of a header value Deno's HTTP writer cannot send (controls but the
 * tab, and DEL): it stops the whole process on one, so they are refused here.
 */
// deno-lint-ignore no-control-regex
const UNSENDABLE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A parsed response head. */
export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  /** Fields in order, names as sent. */
  readonly headers: readonly [string, string][];
}

/** Where the head ends in `bytes` (just past its blank line), or -1. */
export function headEnd(bytes: Uint8Array, from = 0): number {
  for (
    let i = bytes.indexOf(10, from);
    i !== -1;
    i = bytes.indexOf(10, i + 1)
  ) {
    const next = bytes[i + 1];
    if (next === 10) return i + 2;
    if (next === 13 && bytes[i + 2] === 10) return i + 3;
  }
  return -1;
}

/**
 * Parses a response head (status line and header lines, blank line
 * excluded); `null` when it is not one.
 */
export function parseResponseHead(text: string): ResponseHead | null {
  const lines = text.split(/\r?\n/);
  const status = STATUS_LINE.exec(lines[0] ?? "");
  if (status === null) return null;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const previous = headers[headers.length - 1];
    if ((line[0] === " " || line[0] === "\t") && previous) {
      previous[1] += " " + pyStrip(line, OWS);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    headers.push([
      line.slice(0, colon),
      pyStrip(line.slice(colon + 1), OWS),
    ]);
  }
  return { status: Number(status[1]), reason: status[2] ?? "", headers };
}

type BodyState =
  | { kind: "none" }
  | { kind: "length"; left: number }
  | { kind: "chunked"; decoder: ChunkedDecoder }
  | { kind: "close" };

function bodyState(head: ResponseHead, noBody: boolean): BodyState {
  if (noBody) return { kind: "none" };
  let length: string | null = null;
  let chunked = false;
  for (const [name, value] of head.headers) {
    const lower = name.toLowerCase();
    if (lower === "transfer-encoding") {
      chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
    } else if (lower === "content-length") length ??= value.trim();
  }
  if (chunked) return { kind: "chunked", decoder: new ChunkedDecoder() };
  if (length !== null && /^\d+$/.test(length)) {
    const left = Number(length);
    return left === 0 ? { kind: "none" } : { kind: "length", left };
  }
  return { kind: "close" };
}

/**
 * What a handler's write raises once the client of a fetch-adapter
 * response went away: a `BrokenPipe`, as on a socket the peer closed.
 */
export class ClientGone extends Deno.errors.BrokenPipe {
  constructor() {
    super("the client went away");
  }
}

/**
 * A {@linkcode ByteSink} that turns a handler's output into the `Response`
 * of `response`, which settles once the head is complete.
 */
export class ResponseAssembler implements ByteSink {
  /** The response, once the handler has written its head. */
  readonly response: Promise<Response>;
  readonly #isHead: boolean;
  #resolve!: (response: Response) => void;
  #reject!: (error: Error) => void;
  #head: Uint8Array = new Uint8Array(0);
  #scanned = 0;
  #body: BodyState | null = null;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #wakers: (() => void)[] = [];
  #cancelled = false;
  #ended = false;

  /** `isHead`: the request was HEAD, so no body follows any head. */
  constructor(isHead: boolean) {
    this.#isHead = isHead;
    this.response = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A handler that fails is reported by the server; nobody may be waiting.
    this.response.catch(() => {});
  }

  write(bytes: Uint8Array): void | Promise<void> {
    if (this.#cancelled) {
      throw new ClientGone();
    }
    if (this.#body === null) {
      const rest = this.#takeHead(bytes);
      if (rest === null || rest.length === 0) return;
      bytes = rest;
    }
    this.#feedBody(bytes);
    const controller = this.#controller;
    if (controller !== null && (controller.desiredSize ?? 1) <= 0) {
      // A client that goes away meanwhile fails the write at once, as a
      // socket's blocked send fails on a reset: the handler stops without
      // reading its next chunk first.
      return new Promise<void>((resolve) => this.#wakers.push(resolve))
        .then(() => {
          if (this.#cancelled) throw new ClientGone();
        });
    }
  }

  /** Adds `bytes` to the head; the bytes after it once it is complete. */
  #takeHead(bytes: Uint8Array): Uint8Array | null {
    const joined = new Uint8Array(this.#head.length + bytes.length);
    joined.set(this.#head);
    joined.set(bytes, this.#head.length);
    let buffer = joined;
    while (true) {
      const end = headEnd(buffer, Math.max(0, this.#scanned - 2));
      if (end === -1) {
        if (buffer.length > MAX_HEAD) this.#fail("response head too long");
        this.#head = buffer;
        this.#scanned = buffer.length;
        return null;
      }
      const head = parseResponseHead(
        // Bytes as Python sends them (the TextDecoder's "latin1" is
        // windows-1252, which turns 0x80 into a euro sign).
        latin1Decode(buffer.subarray(0, end)).replace(/\r?\n\r?\n$/, ""),
      );
      buffer = buffer.subarray(end);
      this.#scanned = 0;
      if (head === null) {
        this.#fail("the handler wrote something other than an HTTP response");
        return null;
      }
      // Interim responses (100 Continue, 103 Early Hints) are skipped.
      if (head.status < 200 && head.status !== 101) continue;
      this.#head = new Uint8Array(0);
      this.#start(head);
      return buffer;
    }
  }

  #start(head: ResponseHead): void {
    const { status } = head;
    const noBody = this.#isHead || status === 204 || status === 205 ||
      status === 304;
    const body = bodyState(head, noBody);
    this.#body = body;
    let stream: ReadableStream<Uint8Array> | null = null;
    if (!noBody) {
      stream = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => this.#wake(),
        cancel: () => this.abort(),
        // Counted in bytes: a count of chunks let four 256 KiB file writes
        // wait on each stream a client stopped reading (HTTP/2 has up to
        // 200 streams a connection).
      }, { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength });
    }
    const headers = new Headers();
    try {
      for (const [name, value] of head.headers) {
        const lower = name.toLowerCase();
        if (HOP_BY_HOP.has(lower)) continue;
        if (lower === "content-length") {
          // The first one frames the body (as bodyState reads it); a
          // repeat joined to it (`5, 5`) would make the server drop both.
          if (body.kind === "chunked" || headers.has(lower)) continue;
        }
        if (UNSENDABLE.test(value)) {
          throw new TypeError(
            `the value of ${name} has a control character Deno cannot send`,
          );
        }
        headers.append(name, value);
      }
      this.#resolve(
        new Response(stream, { status, statusText: head.reason, headers }),
      );
    } catch (error) {
      this.#fail(`cannot make a fetch Response: ${(error as Error).message}`);
      return;
    }
    if (body.kind === "none") this.#finishBody();
  }

  #feedBody(bytes: Uint8Array): void {
    const body = this.#body;
    const controller = this.#controller;
    if (body === null || controller === null) return;
    if (body.kind === "close") {
      controller.enqueue(bytes);
    } else if (body.kind === "length") {
      const take = Math.min(body.left, bytes.length);
      if (take > 0) controller.enqueue(bytes.subarray(0, take));
      body.left -= take;
      if (body.left === 0) this.#finishBody();
    } else if (body.kind === "chunked") {
      body.decoder.decode(bytes, (data) => controller.enqueue(data));
      if (body.decoder.error !== null) {
        this.#errorBody(`bad chunked response: ${body.decoder.error}`);
      } else if (body.decoder.done) this.#finishBody();
    }
  }

  #finishBody(): void {
    this.#body = { kind: "none" };
    const controller = this.#controller;
    this.#controller = null;
    try {
      controller?.close();
    } catch {
      // Cancelled meanwhile.
    }
    this.#wake();
  }

  #errorBody(message: string): void {
    this.#body = { kind: "none" };
    const controller = this.#controller;
    this.#controller = null;
    try {
      controller?.error(new Deno.errors.UnexpectedEof(message));
    } catch {
      // Cancelled meanwhile.
    }
    this.#wake();
  }

  #fail(message: string): void {
    this.#body = { kind: "none" };
    this.#reject(new Deno.errors.InvalidData(message));
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  /**
   * The client went away: the handler's next write fails, as on a socket
   * the peer closed, so that it stops and closes what it was sending.
   */
  abort(): void {
    this.#cancelled = true;
    this.#wake();
  }

  /**
   * The server says the response was delivered: a body not finished by
   * then will never be read (Deno.serve says so when an HTTP/1.1 client
   * left in the middle of it), and what the handler writes after a
   * finished one (a HEAD's body, bytes past its Content-Length) has
   * nowhere to go: either way its next write fails, as on `abort()`, so
   * that a handler still streaming stops.
   */
  delivered(): void {
    this.abort();
  }

  /** The handler's output has ended. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const body = this.#body;
    if (body === null) {
      this.#reject(
        new Deno.errors.UnexpectedEof(
          "the handler closed the connection without a complete response",
        ),
      );
      return;
    }
    // A client gone away is no error to report: nobody reads the body.
    if (body.kind === "close" || this.#cancelled) this.#finishBody();
    else if (body.kind !== "none") {
      this.#errorBody(
        "the handler ended the connection in the middle of the body",
      );
    }
  }
}
