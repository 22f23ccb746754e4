/**
 * The UTF-16 and UTF-32 codecs, BOM-writing and fixed-order.
 *
 * @module
 */
import {
  ByteSink,
  type CharEncoder,
  type Codec,
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
      return size === 2
        ? decodeUtf16(bytes, start, e, errors, codecName(e))
        : decodeUtf32(bytes, start, e, errors, codecName(e));
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

function decodeUtf16(
  bytes: Uint8Array,
  start: number,
  e: Endian,
  errors: string,
  errName: string,
): string {
  const sink = new TextSink();
  const fail = (from: number, to: number, reason: string) =>
    handleDecodeError(bytes, from, to, reason, errors, errName, sink);
  const n = bytes.length;
  const pass = errors === "surrogatepass";
  let i = start;
  while (i < n) {
    if (i + 2 > n) {
      i = fail(i, n, "truncated data");
      continue;
    }
    const unit = readUnit(bytes, i, 2, e);
    const low = i + 4 <= n ? readUnit(bytes, i + 2, 2, e) : -1;
    const paired = unit >= 0xd800 && unit < 0xdc00 && low >= 0xdc00 &&
      low <= 0xdfff;
    if (unit < 0xd800 || unit > 0xdfff || (!paired && pass)) {
      sink.pushCp(unit);
      i += 2;
    } else if (unit >= 0xdc00) {
      i = fail(i, i + 2, "illegal encoding");
    } else if (i + 4 > n) {
      i = fail(i, n, "unexpected end of data");
    } else {
      if (paired) {
        sink.pushCp(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
        i += 4;
      } else {
        i = fail(i, i + 2, "illegal UTF-16 surrogate");
      }
    }
  }
  return sink.result();
}

function decodeUtf32(
  bytes: Uint8Array,
  start: number,
  e: Endian,
  errors: string,
  errName: string,
): string {
  const sink = new TextSink();
  const fail = (from: number, to: number, reason: string) =>
    handleDecodeError(bytes, from, to, reason, errors, errName, sink);
  const n = bytes.length;
  let i = start;
  while (i < n) {
    if (i + 4 > n) {
      i = fail(i, n, "truncated data");
      continue;
    }
    const cp = readUnit(bytes, i, 4, e);
    if (cp > 0x10ffff) {
      i = fail(i, i + 4, "code point not in range(0x110000)");
    } else if (cp >= 0xd800 && cp <= 0xdfff && errors !== "surrogatepass") {
      i = fail(
        i,
        i + 4,
        "code point in surrogate code point range(0xd800, 0xe000)",
      );
    } else {
      sink.pushCp(cp);
      i += 4;
    }
  }
  return sink.result();
}
