/**
 * Single-byte code pages (`cp1252`, `iso8859-2`, `koi8-r`, …): tables taken
 * from iconv-lite and corrected where they differ from Python's.
 *
 * Follows CPython 3.13 `Lib/encodings/` (the single-byte charmap codecs such as `cp1252.py`).
 *
 * @module
 */
import iconv from "iconv-lite";
import type { CharEncoder, Codec } from "./error_handlers.ts";
import { encodeSlow, handleDecodeError, TextSink } from "./error_handlers.ts";

const UNDEFINED = 0xfffe;

/** The codec of the code page iconv-lite calls `module`, with Python's `overrides` (`byte:codepoint` hex pairs). */
export function charmapCodec(module: string, overrides: string): Codec {
  const all = new Uint8Array(256);
  for (let b = 0; b < 256; b++) all[b] = b;
  const decoded = iconv.decode(all as unknown as Buffer, module);
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const c = decoded.charCodeAt(b);
    table[b] = c === 0xfffd ? UNDEFINED : c;
  }
  for (const pair of overrides.split(" ")) {
    if (!pair) continue;
    const [byte, cp] = pair.split(":") as [string, string];
    table[parseInt(byte, 16)] = parseInt(cp, 16);
  }
  const reverse = new Map<number, number>();
  for (let b = 255; b >= 0; b--) {
    const cp = table[b] as number;
    if (cp !== UNDEFINED) reverse.set(cp, b);
  }
  const chars: CharEncoder = {
    errName: "charmap",
    reason: "character maps to <undefined>",
    groupRuns: true,
    encodeCp(cp, sink) {
      const b = reverse.get(cp);
      if (b === undefined) return false;
      sink.push(b);
      return true;
    },
  };
  return {
    encode(text, errors) {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const b = reverse.get(text.charCodeAt(i));
        if (b === undefined) return encodeSlow(text, errors, chars);
        out[i] = b;
      }
      return out;
    },
    decode(bytes, errors) {
      const sink = new TextSink();
      for (let i = 0; i < bytes.length; i++) {
        const cp = table[bytes[i] as number] as number;
        if (cp !== UNDEFINED) {
          sink.pushCp(cp);
        } else {
          handleDecodeError(
            bytes,
            i,
            i + 1,
            "character maps to <undefined>",
            errors,
            "charmap",
            sink,
          );
        }
      }
      return sink.result();
    },
  };
}
