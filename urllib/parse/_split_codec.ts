/**
 * Byte/text bridging used by the split, join and result modules.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_coerce_args` and the str/bytes codec helpers.
 *
 * @module
 */

import { UnicodeDecodeError } from "../../_util/codec/mod.ts";

const CHUNK = 0x2000;

/** Decodes bytes as strict ASCII, raising Python's UnicodeDecodeError text. */
export function asciiDecode(bytes: Uint8Array): string {
  const len = bytes.length;
  for (let i = 0; i < len; i++) {
    const b = bytes[i] as number;
    if (b > 0x7f) {
      throw new UnicodeDecodeError(
        "ascii",
        bytes,
        i,
        i + 1,
        "ordinal not in range(128)",
      );
    }
  }
  return latin1Decode(bytes);
}

/** Maps each byte to the code point of the same value (lossless). */
export function latin1Decode(bytes: Uint8Array): string {
  const len = bytes.length;
  if (len <= CHUNK) {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  let out = "";
  for (let i = 0; i < len; i += CHUNK) {
    out += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + CHUNK) as unknown as number[],
    );
  }
  return out;
}

/**
 * Maps each code unit to one byte. Callers guarantee every code unit is
 * below 0x100 (the text came from {@linkcode latin1Decode} or ASCII).
 */
export function latin1Encode(text: string): Uint8Array {
  const len = text.length;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = text.charCodeAt(i);
  return out;
}
