/**
 * The CJK multibyte codecs (Shift JIS, EUC-JP, GBK, GB 18030, Big5, EUC-KR,
 * …) through iconv-lite, checking its output so that input Python cannot
 * encode or decode reaches the error handler instead of being silently
 * substituted.
 *
 * Follows CPython 3.13 `Lib/encodings/` (the CJK codecs: `shift_jis.py`, `gbk.py`, `euc_kr.py`, `big5.py` …).
 *
 * @module
 */
import iconv from "iconv-lite";
import { encodeNarrow } from "./ascii_latin1.ts";
import type { CharEncoder, Codec } from "./error_handlers.ts";
import { encodeSlow, handleDecodeError, TextSink } from "./error_handlers.ts";

interface MultibyteSpec {
  readonly iconvName: string;
  /** Rejects byte sequences that iconv-lite's table has but Python's lacks. */
  readonly accept?: (seq: Uint8Array) => boolean;
  /** `hexbytes:hexcodepoint` pairs where Python's table differs; `x` = undefined. */
  readonly overrides?: string;
  /** Rejects decoded code points Python's table lacks. */
  readonly acceptCp?: (cp: number, seq: Uint8Array) => boolean;
  /** Computes what iconv-lite's table lacks (e.g. a user-defined area). */
  readonly extra?: (seq: Uint8Array) => number | undefined;
  /** One-way `hexcodepoint:hexbytes` encodings; `x` = unencodable. */
  readonly encodeOnly?: string;
  /** Encodings chosen before iconv-lite's. */
  readonly encodeFirst?: (
    cp: number,
    decodeOne: (seq: Uint8Array) => number,
  ) => Uint8Array | undefined;
  /**
   * How many bytes the sequence starting at `at` needs (default: two for
   * any byte >= 0x80); decides Python's "incomplete" versus "illegal".
   */
  readonly leadLength?: (bytes: Uint8Array, at: number) => number;
  /** Sequences too long for iconv-lite: returns [code point, length]. */
  readonly decodeLong?: (
    bytes: Uint8Array,
    at: number,
    decodeOne: (seq: Uint8Array) => number,
  ) => readonly [number, number] | undefined;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
}

/** cp932 rows ED/EE (NEC-selected IBM extensions), which Python prefers. */
function necSelectedIbm(
  decodeOne: (seq: Uint8Array) => number,
): Map<number, Uint8Array> {
  const map = new Map<number, Uint8Array>();
  for (let lead = 0xed; lead <= 0xee; lead++) {
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      const seq = Uint8Array.of(lead, trail);
      const cp = decodeOne(seq);
      if (cp >= 0 && !map.has(cp)) map.set(cp, seq);
    }
  }
  return map;
}
let necSelected: Map<number, Uint8Array> | undefined;

// Hangul syllables outside KS X 1001 are spelt in EUC-KR as the filler A4D4
// followed by three compatibility jamo (initial, medial, final-or-filler).
const JAMO_INITIALS = [
  0x3131,
  0x3132,
  0x3134,
  0x3137,
  0x3138,
  0x3139,
  0x3141,
  0x3142,
  0x3143,
  0x3145,
  0x3146,
  0x3147,
  0x3148,
  0x3149,
  0x314a,
  0x314b,
  0x314c,
  0x314d,
  0x314e,
];
const JAMO_FINALS = [
  0x3164,
  0x3131,
  0x3132,
  0x3133,
  0x3134,
  0x3135,
  0x3136,
  0x3137,
  0x3139,
  0x313a,
  0x313b,
  0x313c,
  0x313d,
  0x313e,
  0x313f,
  0x3140,
  0x3141,
  0x3142,
  0x3144,
  0x3145,
  0x3146,
  0x3147,
  0x3148,
  0x314a,
  0x314b,
  0x314c,
  0x314d,
  0x314e,
];
/** Compatibility jamo U+3131-U+3164 sit in order at A4A1-A4D4. */
const jamoBytes = (cp: number) => [0xa4, 0xa1 + cp - 0x3131];

function composeKsc(cp: number): Uint8Array | undefined {
  if (cp < 0xac00 || cp > 0xd7a3) return undefined;
  const index = cp - 0xac00;
  const initial = JAMO_INITIALS[Math.floor(index / 588)] as number;
  const medial = 0x314f + Math.floor((index % 588) / 28);
  const final = JAMO_FINALS[index % 28] as number;
  return Uint8Array.from([
    0xa4,
    0xd4,
    ...jamoBytes(initial),
    ...jamoBytes(medial),
    ...jamoBytes(final),
  ]);
}

function decomposeKsc(bytes: Uint8Array, at: number): number | undefined {
  if (at + 8 > bytes.length || bytes[at] !== 0xa4 || bytes[at + 1] !== 0xd4) {
    return undefined;
  }
  const jamo = [2, 4, 6].map((k) =>
    bytes[at + k] === 0xa4 ? 0x3131 + (bytes[at + k + 1] as number) - 0xa1 : -1
  ) as [number, number, number];
  const l = JAMO_INITIALS.indexOf(jamo[0]);
  const v = jamo[1] - 0x314f;
  const t = JAMO_FINALS.indexOf(jamo[2]);
  if (l < 0 || v < 0 || v > 20 || t < 0) return undefined;
  return 0xac00 + l * 588 + v * 28 + t;
}

const inRange = (b: number | undefined, lo: number, hi: number) =>
  b !== undefined && b >= lo && b <= hi;

/** Both bytes in 0xA1-0xFE: the EUC code set 1 that GB 2312 and KS X 1001 use. */
function isEucPair(seq: Uint8Array): boolean {
  return seq.length === 2 && inRange(seq[0], 0xa1, 0xfe) &&
    inRange(seq[1], 0xa1, 0xfe);
}

/**
 * Four-byte GB 18030 sequences count linearly; only the stretch covering
 * the rest of the BMP and the one from 0x90308130 covering the supplementary
 * planes are assigned.
 */
function isGb18030Four(seq: Uint8Array): boolean {
  const [a, b, c, d] = seq as unknown as [number, number, number, number];
  const linear = (((a - 0x81) * 10 + (b - 0x30)) * 126 + (c - 0x81)) * 10 +
    (d - 0x30);
  return (linear >= 0 && linear <= 39419) ||
    (linear >= 189000 && linear <= 189000 + 0xfffff);
}

function singleIsAscii(seq: Uint8Array): boolean {
  return seq.length > 1 || (seq[0] as number) < 0x80;
}

/** Where Python's Big5 tables keep the older (non-Microsoft) characters. */
const BIG5_OVERRIDES = "a145:2022 a14e:ff64 a1c2:203e a1e3:223c a1f2:2641 " +
  "a1f3:2609 a241:ff0f a242:ff3c a244:a5 a246:a2 a247:a3";

const isPua = (cp: number) => cp >= 0xe000 && cp <= 0xf8ff;

const MULTIBYTE: Record<string, MultibyteSpec> = {
  shift_jis: {
    iconvName: "shift_jis",
    leadLength: sjisLeadLength(0xea),

    accept: (seq) =>
      seq.length === 1
        ? (seq[0] as number) < 0x80 || inRange(seq[0], 0xa1, 0xdf)
        : (inRange(seq[0], 0x81, 0x9f) || inRange(seq[0], 0xe0, 0xef)) &&
          seq[0] !== 0x87 && seq[0] !== 0xed && seq[0] !== 0xee,
    overrides: "8160:301c 8161:2016 817c:2212 8191:a2 8192:a3 81ca:ac",
    encodeOnly: "a5:5c 203e:7e",
  },
  cp932: {
    iconvName: "cp932",
    leadLength: sjisLeadLength(0xfc),

    overrides: "80:80 a0:f8f0 fd:f8f1 fe:f8f2 ff:f8f3",
    // Python maps the whole user-defined area F040-F9FC onto U+E000 onwards.
    extra: (seq) => {
      const [lead, trail] = seq;
      if (seq.length !== 2 || !inRange(lead, 0xf0, 0xf9)) return undefined;
      const t = trail as number;
      if (t < 0x40 || t > 0xfc || t === 0x7f) return undefined;
      return 0xe000 + ((lead as number) - 0xf0) * 188 + t - 0x40 -
        (t > 0x7f ? 1 : 0);
    },
    encodeOnly:
      "a2:8191 a3:8192 ac:81ca 2016:8161 2212:817c 301c:8160 ffe2:81ca",
    encodeFirst: (cp, decodeOne) => {
      if (cp >= 0xe000 && cp < 0xe000 + 188 * 10) {
        const lead = 0xf0 + Math.floor((cp - 0xe000) / 188);
        const t = 0x40 + (cp - 0xe000) % 188;
        return Uint8Array.of(lead, t >= 0x7f ? t + 1 : t);
      }
      necSelected ??= necSelectedIbm(decodeOne);
      return necSelected.get(cp);
    },
  },
  euc_jp: {
    iconvName: "euc-jp",
    leadLength: (bytes, at) =>
      bytes[at] === 0x8f ? 3 : defaultLeadLength(bytes, at),

    accept: (seq) =>
      seq.length === 1
        ? (seq[0] as number) < 0x80
        : seq.length === 2
        ? (seq[0] === 0x8e
          ? inRange(seq[1], 0xa1, 0xdf)
          : isEucPair(seq) && seq[0] !== 0xad && !inRange(seq[0], 0xf9, 0xfc))
        : seq[0] === 0x8f && isEucPair(seq.subarray(1)),
    overrides: "a1c1:301c a1c2:2016 a1dd:2212 a1f1:a2 a1f2:a3 a2cc:ac",
    encodeOnly: "a5:5c 203e:7e ff5e:x",
  },
  gbk: {
    iconvName: "gbk",

    accept: singleIsAscii,
    overrides: "a2e3:x a3a0:x a8bc:x a8bf:x",
    // GBK's additions after 1995 (ideographic description characters,
    // radicals in row FE) are missing from Python's table.
    acceptCp: (cp, seq) =>
      !isPua(cp) && !(seq[0] === 0xa9 && inRange(seq[1], 0x89, 0x95)) &&
      !(seq[0] === 0xfe && inRange(seq[1], 0x50, 0x9f)),
  },
  gb2312: {
    iconvName: "gbk",

    accept: (seq) =>
      seq.length === 1 ? (seq[0] as number) < 0x80 : isEucPair(seq) &&
        !(seq[0] === 0xa2 && (seq[1] as number) <= 0xaa) &&
        !(seq[0] === 0xa8 && inRange(seq[1], 0xbb, 0xc0)) &&
        !(seq[0] === 0xa6 && inRange(seq[1], 0xe0, 0xf5)),
    acceptCp: (cp) => !isPua(cp),
    overrides: "a1a4:30fb a1aa:2015 a2e3:x a3a0:x",
  },
  gb18030: {
    iconvName: "gb18030",
    leadLength: (bytes, at) =>
      inRange(bytes[at + 1], 0x30, 0x39) ? 4 : defaultLeadLength(bytes, at),

    accept: (seq) => seq.length === 4 ? isGb18030Four(seq) : singleIsAscii(seq),
    overrides: "a3a0:e5e5 a8bc:e7c7 8135f437:1e3f 8431a437:fffd",
  },
  // Approximate: iconv-lite lacks the ETEN rows C6A1-C7FC that Python's
  // big5/cp950 have, and its HKSCS edition differs in a few hundred places.
  big5: {
    iconvName: "cp950",
    accept: (seq) => !(seq[0] === 0xf9 && (seq[1] as number) >= 0xd6),
    overrides: BIG5_OVERRIDES + " a3e1:x",
  },
  big5hkscs: { iconvName: "big5hkscs", overrides: BIG5_OVERRIDES },
  cp950: { iconvName: "cp950" },
  euc_kr: {
    iconvName: "euc-kr",
    leadLength: (bytes, at) =>
      bytes[at] === 0xa4 && bytes[at + 1] === 0xd4
        ? 8
        : defaultLeadLength(bytes, at),

    accept: (seq) =>
      seq.length === 1 ? (seq[0] as number) < 0x80 : isEucPair(seq),
    overrides: "a4d4:x",
    encodeOnly: "3164:a4d4",
    encodeFirst: (cp, decodeOne) => {
      // Syllables KS X 1001 has keep their two-byte form.
      const plain = cp >= 0xac00 && cp <= 0xd7a3
        ? iconv.encode(String.fromCodePoint(cp), "euc-kr")
        : undefined;
      if (plain && plain.length === 2 && decodeOne(plain) === cp) return plain;
      return composeKsc(cp);
    },
    decodeLong: (bytes, at) => {
      const cp = decomposeKsc(bytes, at);
      return cp === undefined ? undefined : [cp, 8];
    },
  },
  cp949: { iconvName: "cp949" },
};

function defaultLeadLength(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) >= 0x80 ? 2 : 1;
}

function sjisLeadLength(lastLead: number) {
  return (bytes: Uint8Array, at: number): number => {
    const b = bytes[at] as number;
    return inRange(b, 0x81, 0x9f) || inRange(b, 0xe0, lastLead) ? 2 : 1;
  };
}

function seqKey(seq: Uint8Array): number {
  let key = seq.length;
  for (const b of seq) key = key * 256 + b;
  return key;
}

/** The CJK codec Python calls `errName` (also its module name). */
export function multibyte(errName: string): Codec {
  const spec = MULTIBYTE[errName] as MultibyteSpec;
  const { iconvName } = spec;
  const leadLength = spec.leadLength ?? defaultLeadLength;
  const accept = spec.accept ?? (() => true);
  const acceptCp = spec.acceptCp ?? (() => true);
  const overrideDecode = new Map<number, number>();
  const overrideEncode = new Map<number, Uint8Array>();
  for (const pair of (spec.overrides ?? "").split(" ")) {
    if (!pair) continue;
    const [hex, cpHex] = pair.split(":") as [string, string];
    const seq = hexBytes(hex);
    const cp = cpHex === "x" ? -1 : parseInt(cpHex, 16);
    overrideDecode.set(seqKey(seq), cp);
    if (cp >= 0) overrideEncode.set(cp, seq);
  }
  // Both directions are memoised: each distinct character costs one
  // iconv-lite call, which keeps long texts fast without building tables.
  const decodeMemo = new Map<number, number>();
  const decodeOne = (seq: Uint8Array): number => {
    const key = seqKey(seq);
    let cp = decodeMemo.get(key);
    if (cp !== undefined) return cp;
    cp = overrideDecode.get(key);
    cp ??= spec.extra?.(seq);
    if (cp === undefined) {
      cp = -1;
      if (accept(seq)) {
        const s = iconv.decode(seq as unknown as Buffer, iconvName);
        const first = s.codePointAt(0);
        if (
          first !== undefined && first !== 0xfffd &&
          s.length === (first > 0xffff ? 2 : 1) && acceptCp(first, seq)
        ) cp = first;
      }
    }
    decodeMemo.set(key, cp);
    return cp;
  };
  const encodeMemo = new Map<number, Uint8Array | null>();
  const encodeOnly = new Map<number, Uint8Array | null>();
  for (const pair of (spec.encodeOnly ?? "").split(" ")) {
    if (!pair) continue;
    const [cpHex, hex] = pair.split(":") as [string, string];
    encodeOnly.set(parseInt(cpHex, 16), hex === "x" ? null : hexBytes(hex));
  }
  const encodeOne = (cp: number): Uint8Array | null => {
    let seq = encodeMemo.get(cp);
    if (seq !== undefined) return seq;
    seq = overrideEncode.get(cp) ?? encodeOnly.get(cp) ??
      spec.encodeFirst?.(cp, decodeOne) ?? null;
    if (!seq && !encodeOnly.has(cp) && (cp < 0xd800 || cp > 0xdfff)) {
      const out = new Uint8Array(
        iconv.encode(
          String.fromCodePoint(cp),
          iconvName,
        ) as unknown as ArrayBufferLike,
      );
      // Only sequences that decode back to the same character count, which
      // also rejects iconv-lite's "?" substitute and anything Python lacks.
      if (out.length > 0 && decodeOne(out) === cp) seq = out;
    }
    encodeMemo.set(cp, seq);
    return seq;
  };
  const chars: CharEncoder = {
    errName,
    reason: "illegal multibyte sequence",
    groupRuns: false,
    encodeCp(cp, sink) {
      if (cp < 0x80) {
        sink.push(cp);
        return true;
      }
      const seq = encodeOne(cp);
      if (!seq) return false;
      sink.pushAll(seq);
      return true;
    },
  };
  return {
    encode(text, errors) {
      return encodeNarrow(text, 0x80) ?? encodeSlow(text, errors, chars);
    },
    decode(bytes, errors) {
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
        const long = spec.decodeLong?.(bytes, i, decodeOne);
        if (long) {
          sink.pushCp(long[0]);
          i += long[1];
          continue;
        }
        const single = decodeOne(bytes.subarray(i, i + 1));
        if (single >= 0) {
          sink.pushCp(single);
          i++;
          continue;
        }
        const need = leadLength(bytes, i);
        if (i + need > n) {
          // Python reports a truncated sequence once, covering the rest.
          i = handleDecodeError(
            bytes,
            i,
            n,
            "incomplete multibyte sequence",
            errors,
            errName,
            sink,
          );
          continue;
        }
        const cp = need > 1 ? decodeOne(bytes.subarray(i, i + need)) : -1;
        if (cp >= 0) {
          sink.pushCp(cp);
          i += need;
          continue;
        }
        handleDecodeError(
          bytes,
          i,
          i + 1,
          "illegal multibyte sequence",
          errors,
          errName,
          sink,
        );
        i++;
      }
      return sink.result();
    },
  };
}
