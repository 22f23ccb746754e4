/**
 * The UTF-16 and UTF-32 codecs, BOM-writing and fixed-order.
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, the UTF-16 and UTF-32 codecs.
 *
 * @module
 */
import type { CharEncoder, Codec } from "./error_handlers.ts";
import {
  ByteSink,
  encodeSlow,
  handleDecodeError,
  TextSink,
} from "./error_handlers.ts";

/** Byte order of a UTF-16/32 code unit. */
export type Endian = "le" | "be";

/**
 * UTF-16 (`size` 2) or UTF-32 (`size` 4). With `endian` null the codec is
 * Python's BOM-writing `utf-16`/`utf-32`: it encodes little-endian (the
 * native order here) after a BOM and decodes by the BOM, little-endian
 * without one.
 */
export function wideCodec(size: 2 | 4, endian: Endian | null): Codec {
  const bits = size * 8;
  const codecName = (e: Endian) => `utf-${bits}-${e}`;
  const writeUnit = (sink: ByteSink, unit: number, e: Endian) => {
    for (let k = 0; k < size; k++) {
      const shift = e === "le" ? 8 * k : 8 * (size - 1 - k);
      sink.push((unit >>> shift) & 0xff);
    }
  };
  const chars = (e: Endian): CharEncoder => ({
    errName: endian ? codecName(e) : `utf-${bits}`,
    reason: "surrogates not allowed",
    groupRuns: false,
    unitSize: size,
    passSurrogate: (cp, sink) => writeUnit(sink, cp, e),
    encodeCp(cp, sink) {
      if (cp >= 0xd800 && cp <= 0xdfff) return false;
      if (size === 4 || cp < 0x10000) {
        writeUnit(sink, cp, e);
      } else {
        const v = cp - 0x10000;
        writeUnit(sink, 0xd800 | (v >> 10), e);
        writeUnit(sink, 0xdc00 | (v & 0x3ff), e);
      }
      return true;
    },
  });
  return {
    encode(text, errors) {
      const e = endian ?? "le";
      const enc = chars(e);
      const sink = new ByteSink(text.length * size + size);
      if (!endian) writeUnit(sink, 0xfeff, e);
      const body = encodeSlow(text, errors, enc);
      sink.pushAll(body);
      return sink.result();
    },
    decode(bytes, errors) {
      let e = endian ?? "le";
      let start = 0;
      if (!endian && bytes.length >= size) {
        const first = readUnit(bytes, 0, size, "le");
        if (first === 0xfeff) start = size;
        else if (readUnit(bytes, 0, size, "be") === 0xfeff) {
          e = "be";
          start = size;
        }
      }
      const pass = errors === "surrogatepass";
      const units = size === 2 ? utf16Units : utf32Units;
      const step = units(bytes, e, pass);
      return decodeUnits(bytes, start, size, errors, codecName(e), step);
    },
  };
}

function readUnit(
  bytes: Uint8Array,
  at: number,
  size: number,
  e: Endian,
): number {
  let unit = 0;
  for (let k = 0; k < size; k++) {
    const b = bytes[e === "le" ? at + size - 1 - k : at + k] as number;
    unit = unit * 256 + b;
  }
  return unit;
}

/**
 * Decodes the `size`-byte units from `start` on: `step` decodes the unit at
 * `i` into `sink` (or reports it through `fail`) and returns where the next
 * starts; a tail shorter than a unit is Python's "truncated data".
 */
function decodeUnits(
  bytes: Uint8Array,
  start: number,
  size: 2 | 4,
  errors: string,
  errName: string,
  step: UnitStep,
): string {
  const sink = new TextSink();
  const fail: DecodeFailure = (from, to, reason) =>
    handleDecodeError(bytes, from, to, reason, errors, errName, sink);
  const n = bytes.length;
  let i = start;
  while (i < n) {
    i = i + size > n ? fail(i, n, "truncated data") : step(i, sink, fail);
  }
  return sink.result();
}

/** Reports bytes `from`-`to` as undecodable; returns where to resume. */
type DecodeFailure = (from: number, to: number, reason: string) => number;

/** Decodes the unit at `i` into `sink` (or fails); returns the next offset. */
type UnitStep = (i: number, sink: TextSink, fail: DecodeFailure) => number;

/** UTF-16 units: surrogate pairs joined, lone surrogates refused unless `pass`. */
function utf16Units(bytes: Uint8Array, e: Endian, pass: boolean): UnitStep {
  const n = bytes.length;
  return (i, sink, fail) => {
    const unit = readUnit(bytes, i, 2, e);
    const low = i + 4 <= n ? readUnit(bytes, i + 2, 2, e) : -1;
    const paired = unit >= 0xd800 && unit < 0xdc00 && low >= 0xdc00 &&
      low <= 0xdfff;
    if (unit < 0xd800 || unit > 0xdfff || (!paired && pass)) {
      sink.pushCp(unit);
      return i + 2;
    }
    if (unit >= 0xdc00) return fail(i, i + 2, "illegal encoding");
    if (i + 4 > n) return fail(i, n, "unexpected end of data");
    if (!paired) return fail(i, i + 2, "illegal UTF-16 surrogate");
    sink.pushCp(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
    return i + 4;
  };
}

/** UTF-32 units: code points, surrogates refused unless `pass`. */
function utf32Units(bytes: Uint8Array, e: Endian, pass: boolean): UnitStep {
  return (i, sink, fail) => {
    const cp = readUnit(bytes, i, 4, e);
    if (cp > 0x10ffff) {
      return fail(i, i + 4, "code point not in range(0x110000)");
    }
    if (cp >= 0xd800 && cp <= 0xdfff && !pass) {
      return fail(
        i,
        i + 4,
        "code point in surrogate code point range(0xd800, 0xe000)",
      );
    }
    sink.pushCp(cp);
    return i + 4;
  };
}
