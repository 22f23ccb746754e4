/**
 * Writing the chunked transfer coding (RFC 9112 section 7.1): what a client
 * sends for a body of unknown length, and what the fetch adapter re-encodes
 * a streamed request body as.
 *
 * Follows CPython 3.13 `Lib/http/client.py`, `HTTPConnection._send_output` (`encode_chunked`: the size in upper-case hex).
 *
 * @module
 */

const encoder = new TextEncoder();

/** The last chunk and the empty trailer section that end a chunked body. */
export const LAST_CHUNK: Uint8Array = encoder.encode("0\r\n\r\n");

/**
 * One chunk holding `data`: its size in hex, CRLF, the bytes, CRLF.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { encodeChunk } from "./chunk_encoding.ts";
 * const chunk = encodeChunk(new Uint8Array(26).fill(0x61));
 * equal(new TextDecoder().decode(chunk), "1A\r\n" + "a".repeat(26) + "\r\n");
 * ```
 */
export function encodeChunk(data: Uint8Array): Uint8Array {
  const size = encoder.encode(data.length.toString(16).toUpperCase() + "\r\n");
  const out = new Uint8Array(size.length + data.length + 2);
  out.set(size);
  out.set(data, size.length);
  out.set([13, 10], size.length + data.length);
  return out;
}
