/**
 * The ASCII and Latin-1 codecs.
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, the ASCII and Latin-1 codecs.
 *
 * @module
 */
import type { CharEncoder, Codec } from "./error_handlers.ts";
import { encodeSlow, handleDecodeError, TextSink } from "./error_handlers.ts";
import { latin1Decode } from "../latin1.ts";

function limitedChars(limit: number, errName: string): CharEncoder {
  return {
    errName,
    reason: `ordinal not in range(${limit})`,
    groupRuns: true,
    escapesPrefix: true,
    encodeCp(cp, sink) {
      if (cp >= limit) return false;
      sink.push(cp);
      return true;
    },
  };
}

const asciiChars = limitedChars(0x80, "ascii");
const latin1Chars = limitedChars(0x100, "latin-1");

/** Encodes when every UTF-16 unit is below `limit`; null otherwise. */
export function encodeNarrow(text: string, limit: number): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= limit) return null;
    out[i] = c;
  }
  return out;
}

/** Python's `ascii` codec. */
export const asciiCodec: Codec = {
  encode(text, errors) {
    return encodeNarrow(text, 0x80) ?? encodeSlow(text, errors, asciiChars);
  },
  decode(bytes, errors) {
    let i = 0;
    while (i < bytes.length && (bytes[i] as number) < 0x80) i++;
    if (i === bytes.length) return latin1Decode(bytes);
    const sink = new TextSink();
    for (let k = 0; k < bytes.length; k++) {
      const b = bytes[k] as number;
      if (b < 0x80) {
        sink.pushCp(b);
      } else {
        handleDecodeError(
          bytes,
          k,
          k + 1,
          "ordinal not in range(128)",
          errors,
          "ascii",
          sink,
        );
      }
    }
    return sink.result();
  },
};

/** Python's `latin-1` (`iso8859-1`) codec. */
export const latin1Codec: Codec = {
  encode(text, errors) {
    return encodeNarrow(text, 0x100) ?? encodeSlow(text, errors, latin1Chars);
  },
  decode: latin1Decode,
};
