/**
 * A fetch `Request` as the HTTP/1.1 bytes a client would have sent for it:
 * request line, headers, then the body, streamed. A body of known length
 * keeps its `Content-Length`; one sent chunked (or of unknown length beyond
 * a small prefix) is re-encoded chunked, as it would be on the wire.
 *
 * @module
 */
import { latin1Decode, latin1Encode } from "../_util/latin1.ts";
import { encodeChunk, LAST_CHUNK } from "../_util/chunk_encoding.ts";

/** A body without a length up to this size is sent with `Content-Length`. */
const SMALL_BODY = 64 * 1024;

/**
 * The request target as the client sent it: the path and query of `url`
 * taken as written. `Deno.serve` gives them raw, where `new URL` would
 * resolve `..` and `.` (a socket hands a handler `/a/../b` as it came). The
 * authority ends at the first `/`, `?` or `#` (`http://h?x=1` is `/?x=1`);
 * a `CONNECT` target is the authority itself (`host:port`), as sent.
 * Characters beyond ASCII (`Deno.serve` takes a target's bytes as UTF-8)
 * become those bytes again, one Latin-1 character each, as a socket reads
 * them.
 */
function targetOf(url: string, method: string): string {
  const scheme = url.indexOf("://");
  let end = scheme === -1 ? url.indexOf(":") + 1 : scheme + 3;
  const authority = end;
  if (scheme !== -1) {
    while (end < url.length && !TARGET_START.has(url.charCodeAt(end))) end++;
  }
  if (method === "CONNECT" && scheme !== -1) {
    return asSent(url.slice(authority, end));
  }
  const hash = url.indexOf("#", end);
  const target = url.slice(end, hash === -1 ? url.length : hash);
  return asSent(target.startsWith("/") ? target : "/" + target);
}

/** `/`, `?` and `#`: where a URL's authority ends. */
const TARGET_START = new Set([0x2f, 0x3f, 0x23]);

/** `target`'s UTF-8 bytes as Latin-1 text (itself when it is ASCII). */
function asSent(target: string): string {
  // deno-lint-ignore no-control-regex
  if (!/[^\x00-\x7f]/.test(target)) return target;
  return latin1Decode(new TextEncoder().encode(target));
}

/**
 * The body length `Content-Length` declares, or `null` when it declares
 * none that can be trusted. `Deno.serve` accepts a field repeated with the
 * same value (RFC 9110 §8.6) and hands it on joined (`5, 5`): that is one
 * length, as a socket's handler reads it.
 */
function declaredLength(headers: Headers): number | null {
  const value = headers.get("content-length");
  if (value === null) return null;
  const [first, ...others] = value.split(",").map((part) => part.trim());
  if (first === undefined || !/^\d+$/.test(first)) return null;
  return others.every((other) => other === first) ? Number(first) : null;
}

/** The request line and headers, ending with the blank line. */
function requestHead(
  request: Request,
  framing: { contentLength: number } | "chunked" | null,
): string {
  let head = `${request.method} ${
    targetOf(request.url, request.method)
  } HTTP/1.1\r\n`;
  if (!request.headers.has("host")) {
    head += `Host: ${new URL(request.url).host}\r\n`;
  }
  for (const [name, value] of request.headers) {
    if (name === "content-length" || name === "transfer-encoding") continue;
    head += `${name}: ${value}\r\n`;
  }
  if (framing === "chunked") head += "Transfer-Encoding: chunked\r\n";
  else if (framing !== null) {
    head += `Content-Length: ${framing.contentLength}\r\n`;
  }
  return head + "\r\n";
}

/**
 * The next piece of the body, `null` at its end, or `CUT` when the stream
 * failed: the client went away mid-body. The handler then meets the end
 * of its input there, as it would on a socket, rather than an error.
 */
async function nextPiece(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<Uint8Array | null | typeof CUT> {
  try {
    const { value, done } = await reader.read();
    return done ? null : value;
  } catch {
    return CUT;
  }
}

const CUT: unique symbol = Symbol("cut");

/**
 * Reads up to `limit` bytes of `reader`; `ended` when the body ended within
 * them, `cut` when the client went away first.
 */
async function readPrefix(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<
  { chunks: Uint8Array[]; size: number; ended: boolean; cut: boolean }
> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= limit) {
    const piece = await nextPiece(reader);
    if (piece === CUT) return { chunks, size, ended: false, cut: true };
    if (piece === null) return { chunks, size, ended: true, cut: false };
    chunks.push(piece);
    size += piece.length;
  }
  return { chunks, size, ended: false, cut: false };
}

/** The bytes of `request` on the wire, in pieces as its body arrives. */
export async function* requestBytes(
  request: Request,
): AsyncGenerator<Uint8Array> {
  const body = request.body;
  if (body === null) {
    yield latin1Encode(requestHead(request, null));
    return;
  }
  const reader = body.getReader();
  let complete = false;
  try {
    const declared = declaredLength(request.headers);
    if (declared !== null && !request.headers.has("transfer-encoding")) {
      yield latin1Encode(requestHead(request, { contentLength: declared }));
      yield* rest(reader, (chunk) => chunk);
      complete = true;
      return;
    }
    let prefix: Uint8Array[] = [];
    let cut = false;
    if (!request.headers.has("transfer-encoding")) {
      // A Request made in code has no length; a client would have sent one
      // for a body it had in full, so a small body gets one here too.
      const read = await readPrefix(reader, SMALL_BODY);
      if (read.ended) {
        // An empty body (Deno.serve gives one to a DELETE or OPTIONS sent
        // without any) had no length on the wire either.
        const framing = read.size > 0 ? { contentLength: read.size } : null;
        yield latin1Encode(requestHead(request, framing));
        yield* read.chunks;
        complete = true;
        return;
      }
      prefix = read.chunks;
      cut = read.cut;
    }
    yield latin1Encode(requestHead(request, "chunked"));
    for (const chunk of prefix) if (chunk.length > 0) yield encodeChunk(chunk);
    // A body cut short ends without its last chunk, as on the wire.
    if (!cut && (yield* rest(reader, (chunk) => encodeChunk(chunk)))) {
      yield LAST_CHUNK;
    }
    complete = true;
  } finally {
    // The handler stopped reading early: the rest of the body is not wanted.
    if (!complete) reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
}

/** Yields the rest of the body; returns `false` when it was cut short. */
async function* rest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  encode: (chunk: Uint8Array) => Uint8Array,
): AsyncGenerator<Uint8Array, boolean> {
  while (true) {
    const piece = await nextPiece(reader);
    if (piece === CUT) return false;
    if (piece === null) return true;
    if (piece.length > 0) yield encode(piece);
  }
}
