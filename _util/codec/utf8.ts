/**
 * The UTF-8 codec (strict, with every Python error handler) and
 * `utf-8-sig`.
 *
 * Follows CPython 3.13 `Objects/unicodeobject.c`, the UTF-8 codec.
 *
 * @module
 */
import type { CharEncoder, Codec } from "./error_handlers.ts";
import { encodeSlow, handleDecodeError, TextSink } from "./error_handlers.ts";

const textEncoder = new TextEncoder();

/** What a UTF-8 lead byte promises about the bytes after it. */
export interface Utf8Lead {
  /** How many continuation bytes follow (1-3). */
  readonly need: number;
  /** The payload bits of the lead byte itself. */
  readonly mask: number;
  /** The lowest byte allowed as the first continuation. */
  readonly lo: number;
  /** The highest byte allowed as the first continuation. */
  readonly hi: number;
}

// The first continuation byte's range is where UTF-8 rules out overlong
// forms (E0, F0), code points past U+10FFFF (F4) and surrogates (ED).
function utf8LeadTable(): readonly (Utf8Lead | undefined)[] {
  const table: (Utf8Lead | undefined)[] = new Array(256).fill(undefined);
  for (let b = 0xc2; b <= 0xf4; b++) {
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
    table[b] = { need, mask: 0x7f >> (need + 1), lo, hi };
  }
  return table;
}

/**
 * UTF-8 lead bytes by value (`undefined`: ASCII, or a byte that cannot
 * start a sequence), shared by the codec and unquote's fast path.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { UTF8_LEADS } from "./mod.ts";
 * equal(UTF8_LEADS[0xe0]?.lo, 0xa0);
 * equal(UTF8_LEADS[0xc0], undefined);
 * ```
 */
export const UTF8_LEADS = utf8LeadTable();
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

const utf8Chars: CharEncoder = {
  errName: "utf-8",
  reason: "surrogates not allowed",
  groupRuns: true,
  escapesPrefix: true,
  passSurrogate(cp, sink) {
    sink.push(0xe0 | (cp >> 12));
    sink.push(0x80 | ((cp >> 6) & 0x3f));
    sink.push(0x80 | (cp & 0x3f));
  },
  encodeCp(cp, sink) {
    if (cp < 0x80) {
      sink.push(cp);
    } else if (cp < 0x800) {
      sink.push(0xc0 | (cp >> 6));
      sink.push(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      if (cp >= 0xd800 && cp <= 0xdfff) return false;
      sink.push(0xe0 | (cp >> 12));
      sink.push(0x80 | ((cp >> 6) & 0x3f));
      sink.push(0x80 | (cp & 0x3f));
    } else {
      sink.push(0xf0 | (cp >> 18));
      sink.push(0x80 | ((cp >> 12) & 0x3f));
      sink.push(0x80 | ((cp >> 6) & 0x3f));
      sink.push(0x80 | (cp & 0x3f));
    }
    return true;
  },
};

function utf8Encode(text: string, errors: string): Uint8Array {
  if (text.isWellFormed()) return textEncoder.encode(text);
  return encodeSlow(text, errors, utf8Chars);
}

function utf8Decode(bytes: Uint8Array, errors: string): string {
  // WHATWG's replacement rule is the same maximal-subpart rule Python uses.
  if (errors === "replace") return lenientUtf8.decode(bytes);
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return utf8DecodeSlow(bytes, errors, "utf-8");
  }
}

function utf8DecodeSlow(
  bytes: Uint8Array,
  errors: string,
  errName: string,
): string {
  const sink = new TextSink();
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      sink.pushCp(b);
      i++;
      continue;
    }
    const lead = UTF8_LEADS[b];
    if (lead === undefined) {
      handleDecodeError(
        bytes,
        i,
        i + 1,
        "invalid start byte",
        errors,
        errName,
        sink,
      );
      i++;
      continue;
    }
    const { need, lo, hi } = lead;
    let cp = b & lead.mask;
    let j = i + 1;
    let problem: string | undefined;
    for (let k = 0; k < need; k++, j++) {
      if (j >= n) {
        problem = "unexpected end of data";
        break;
      }
      const c = bytes[j] as number;
      if (k === 0 ? c < lo || c > hi : c < 0x80 || c > 0xbf) {
        problem = "invalid continuation byte";
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (problem && errors === "surrogatepass" && isEncodedSurrogate(bytes, i)) {
      sink.pushCp(
        0xd000 | (((bytes[i + 1] as number) & 0x3f) << 6) |
          ((bytes[i + 2] as number) & 0x3f),
      );
      i += 3;
    } else if (problem) {
      // Anything else fails as in strict decoding, where it failed.
      i = handleDecodeError(bytes, i, j, problem, errors, errName, sink);
    } else {
      sink.pushCp(cp);
      i = j;
    }
  }
  return sink.result();
}

/**
 * Whether `ED A0-BF 80-BF` (a surrogate, which UTF-8 forbids and
 * "surrogatepass" lets through) starts at `i`.
 */
function isEncodedSurrogate(bytes: Uint8Array, i: number): boolean {
  const second = bytes[i + 1] ?? 0;
  const third = bytes[i + 2] ?? 0;
  return bytes[i] === 0xed && second >= 0xa0 && second <= 0xbf &&
    third >= 0x80 && third <= 0xbf;
}

/** Python's `utf-8` codec. */
export const utf8Codec: Codec = { encode: utf8Encode, decode: utf8Decode };

/** Python's `utf-8-sig` codec: a BOM written, and dropped when read. */
export const utf8SigCodec: Codec = {
  encode(text, errors) {
    const body = utf8Encode(text, errors);
    const out = new Uint8Array(body.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(body, 3);
    return out;
  },
  decode(bytes, errors) {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb &&
      bytes[2] === 0xbf;
    return utf8Decode(bom ? bytes.subarray(3) : bytes, errors);
  },
};
