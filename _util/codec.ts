/**
 * Python's text codecs for the encodings urllib meets: encoding names and
 * aliases resolved as CPython 3.13 resolves them, and the error handlers
 * `strict`, `replace`, `ignore`, `surrogateescape`, `surrogatepass`,
 * `xmlcharrefreplace` and `backslashreplace` with Python's results and
 * messages.
 *
 * UTF-8, ASCII and Latin-1 are implemented here; single-byte code pages use
 * tables taken from `iconv-lite` (corrected where they differ from Python's),
 * and the CJK multibyte codecs call `iconv-lite`, checking its output so that
 * unencodable or undecodable input reaches the error handler instead of being
 * silently substituted.
 *
 * @module
 */
import iconv from "iconv-lite";

/**
 * Python's `UnicodeEncodeError`: a `TypeError`, since Python's is a
 * `ValueError`.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { encodeText, UnicodeEncodeError } from "./codec.ts";
 * throws(() => encodeText("é", "ascii"), (e: unknown) => {
 *   equal((e as UnicodeEncodeError).start, 0);
 *   return e instanceof UnicodeEncodeError && e instanceof TypeError;
 * });
 * ```
 */
export class UnicodeEncodeError extends TypeError {
  /** Python's class name. */
  override name = "UnicodeEncodeError";
  /**
   * Builds the error with Python's message.
   *
   * @param encoding codec name as Python reports it (`'charmap'` for code pages)
   * @param object the text being encoded
   * @param start first bad code point (counted in code points, as Python does)
   * @param end one past the last bad code point
   * @param reason Python's reason text
   * @param badCodePoint the code point at `start`, quoted in the message
   */
  constructor(
    readonly encoding: string,
    readonly object: string,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
    badCodePoint: number,
  ) {
    super(
      end - start === 1
        ? `'${encoding}' codec can't encode character '${
          escapeCodePoint(badCodePoint)
        }' in position ${start}: ${reason}`
        : `'${encoding}' codec can't encode characters in position ${start}-${
          end - 1
        }: ${reason}`,
    );
  }
}

/**
 * Python's `UnicodeDecodeError`: a `TypeError`, since Python's is a
 * `ValueError`.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { decodeBytes } from "./codec.ts";
 * throws(() => decodeBytes(new Uint8Array([0xff])), {
 *   name: "UnicodeDecodeError",
 *   message: "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
 * });
 * ```
 */
export class UnicodeDecodeError extends TypeError {
  /** Python's class name. */
  override name = "UnicodeDecodeError";
  /**
   * Builds the error with Python's message.
   *
   * @param encoding codec name as Python reports it
   * @param object the bytes being decoded
   * @param start first bad byte
   * @param end one past the last bad byte
   * @param reason Python's reason text
   */
  constructor(
    readonly encoding: string,
    readonly object: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
  ) {
    super(
      end - start === 1
        ? `'${encoding}' codec can't decode byte 0x${
          hex2(object[start] ?? 0)
        } in position ${start}: ${reason}`
        : `'${encoding}' codec can't decode bytes in position ${start}-${
          end - 1
        }: ${reason}`,
    );
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** The `\xNN`, `\uNNNN` or `\UNNNNNNNN` spelling Python uses for a code point. */
export function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return "\\x" + hex2(cp);
  if (cp < 0x10000) return "\\u" + cp.toString(16).padStart(4, "0");
  return "\\U" + cp.toString(16).padStart(8, "0");
}

// ---------------------------------------------------------------------------
// Encoding names

interface CodecSpec {
  /** `codecs.lookup(name).name` in Python. */
  readonly name: string;
  /** Normalised aliases accepted besides the module name. */
  readonly aliases: string;
  readonly make: () => Codec;
}

interface Codec {
  encode(text: string, errors: string): Uint8Array;
  decode(bytes: Uint8Array, errors: string): string;
}

/**
 * Keyed by Python's codec module name. Aliases are the normalised spellings
 * that `encodings.aliases` maps to that module (only reachable ones).
 */
const CODEC_SPECS: Record<string, CodecSpec> = {
  utf_8: {
    name: "utf-8",
    aliases: "cp65001 u8 utf utf8 utf8_ucs2 utf8_ucs4",
    make: () => utf8Codec,
  },
  utf_8_sig: { name: "utf-8-sig", aliases: "", make: () => utf8SigCodec },
  ascii: {
    name: "ascii",
    aliases:
      "646 ansi_x3.4_1968 ansi_x3.4_1986 ansi_x3_4_1968 cp367 csascii ibm367 iso646_us iso_646.irv_1991 iso_ir_6 us us_ascii",
    make: () => asciiCodec,
  },
  latin_1: {
    name: "iso8859-1",
    aliases:
      "8859 cp819 csisolatin1 ibm819 iso8859 iso8859_1 iso_8859_1 iso_8859_1_1987 iso_ir_100 l1 latin latin1",
    make: () => latin1Codec,
  },
};

/**
 * UTF-16 and UTF-32: module name -> [unit size, byte order (null: by BOM),
 * aliases]. Python's codec name is the module name with `-` for `_`.
 */
const WIDE: Record<string, readonly [2 | 4, Endian | null, string]> = {
  utf_16: [2, null, "u16 utf16"],
  utf_16_le: [2, "le", "unicodelittleunmarked utf_16le"],
  utf_16_be: [2, "be", "unicodebigunmarked utf_16be"],
  utf_32: [4, null, "u32 utf32"],
  utf_32_le: [4, "le", "utf_32le"],
  utf_32_be: [4, "be", "utf_32be"],
};

for (const [module, [size, endian, aliases]] of Object.entries(WIDE)) {
  CODEC_SPECS[module] = {
    name: module.replaceAll("_", "-"),
    aliases,
    make: () => wideCodec(size, endian),
  };
}

/**
 * CJK multibyte codecs: module name (also Python's codec name and the name
 * handed to the iconv-lite bridge) -> aliases.
 */
const MULTIBYTE_ALIASES: Record<string, string> = {
  shift_jis: "csshiftjis s_jis shiftjis sjis x_mac_japanese",
  cp932: "932 ms932 ms_kanji mskanji windows_31j",
  euc_jp: "eucjp u_jis ujis",
  gbk: "936 cp936 ms936",
  gb2312:
    "chinese csiso58gb231280 euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80 iso_ir_58 x_mac_simp_chinese",
  gb18030: "gb18030_2000",
  big5: "big5_tw csbig5 x_mac_trad_chinese",
  big5hkscs: "big5_hkscs hkscs",
  cp950: "950 ms950",
  euc_kr:
    "euckr korean ks_c_5601 ks_c_5601_1987 ks_x_1001 ksc5601 ksx1001 x_mac_korean",
  cp949: "949 ms949 uhc",
};

for (const [module, aliases] of Object.entries(MULTIBYTE_ALIASES)) {
  CODEC_SPECS[module] = {
    name: module,
    aliases,
    make: () => multibyte(module),
  };
}

/**
 * Single-byte code pages: module name -> [lookup name, aliases, overrides].
 * Overrides are `byte:codepoint` pairs (hex) where iconv-lite's table differs
 * from Python's; `fffe` marks a byte Python leaves undefined.
 */
const CHARMAPS: Record<string, readonly [string, string, string?]> = {
  cp437: ["cp437", "437 cspc8codepage437 ibm437"],
  cp720: ["cp720", ""],
  cp737: ["cp737", ""],
  cp775: ["cp775", "775 cspc775baltic ibm775"],
  cp850: ["cp850", "850 cspc850multilingual ibm850"],
  cp852: ["cp852", "852 cspcp852 ibm852"],
  cp855: ["cp855", "855 csibm855 ibm855"],
  cp856: ["cp856", ""],
  cp857: ["cp857", "857 csibm857 ibm857"],
  cp858: ["cp858", "858 csibm858 ibm858"],
  cp860: ["cp860", "860 csibm860 ibm860"],
  cp861: ["cp861", "861 cp_is csibm861 ibm861"],
  cp862: ["cp862", "862 cspc862latinhebrew ibm862"],
  cp863: ["cp863", "863 csibm863 ibm863"],
  cp864: ["cp864", "864 csibm864 ibm864"],
  cp865: ["cp865", "865 csibm865 ibm865"],
  cp866: ["cp866", "866 csibm866 ibm866"],
  cp869: ["cp869", "869 cp_gr csibm869 ibm869"],
  cp874: ["cp874", ""],
  cp1125: ["cp1125", "1125 cp866u ibm1125 ruscii"],
  cp1250: ["cp1250", "1250 windows_1250"],
  cp1251: ["cp1251", "1251 windows_1251"],
  cp1252: ["cp1252", "1252 windows_1252"],
  cp1253: ["cp1253", "1253 windows_1253"],
  cp1254: ["cp1254", "1254 windows_1254"],
  cp1255: ["cp1255", "1255 windows_1255", "ca:fffe"],
  cp1256: ["cp1256", "1256 windows_1256"],
  cp1257: ["cp1257", "1257 windows_1257"],
  cp1258: ["cp1258", "1258 windows_1258"],
  hp_roman8: ["hp-roman8", "cp1051 ibm1051 r8 roman8"],
  iso8859_2: [
    "iso8859-2",
    "csisolatin2 iso_8859_2 iso_8859_2_1987 iso_ir_101 l2 latin2",
  ],
  iso8859_3: [
    "iso8859-3",
    "csisolatin3 iso_8859_3 iso_8859_3_1988 iso_ir_109 l3 latin3",
  ],
  iso8859_4: [
    "iso8859-4",
    "csisolatin4 iso_8859_4 iso_8859_4_1988 iso_ir_110 l4 latin4",
  ],
  iso8859_5: [
    "iso8859-5",
    "csisolatincyrillic cyrillic iso_8859_5 iso_8859_5_1988 iso_ir_144",
  ],
  iso8859_6: [
    "iso8859-6",
    "arabic asmo_708 csisolatinarabic ecma_114 iso_8859_6 iso_8859_6_1987 iso_ir_127",
  ],
  iso8859_7: [
    "iso8859-7",
    "csisolatingreek ecma_118 elot_928 greek greek8 iso_8859_7 iso_8859_7_1987 iso_ir_126",
  ],
  iso8859_8: [
    "iso8859-8",
    "csisolatinhebrew hebrew iso_8859_8 iso_8859_8_1988 iso_ir_138",
  ],
  iso8859_9: [
    "iso8859-9",
    "csisolatin5 iso_8859_9 iso_8859_9_1989 iso_ir_148 l5 latin5",
  ],
  iso8859_10: [
    "iso8859-10",
    "csisolatin6 iso_8859_10 iso_8859_10_1992 iso_ir_157 l6 latin6",
  ],
  iso8859_11: ["iso8859-11", "iso_8859_11 iso_8859_11_2001 thai"],
  iso8859_13: ["iso8859-13", "iso_8859_13 l7 latin7"],
  iso8859_14: [
    "iso8859-14",
    "iso_8859_14 iso_8859_14_1998 iso_celtic iso_ir_199 l8 latin8",
  ],
  iso8859_15: ["iso8859-15", "iso_8859_15 l9 latin9"],
  iso8859_16: [
    "iso8859-16",
    "iso_8859_16 iso_8859_16_2001 iso_ir_226 l10 latin10",
  ],
  koi8_r: ["koi8-r", "cskoi8r"],
  koi8_t: ["koi8-t", ""],
  koi8_u: ["koi8-u", ""],
  mac_croatian: ["mac-croatian", "", "bd:3a9 d8:f8ff db:20ac"],
  mac_cyrillic: ["mac-cyrillic", "maccyrillic", "a2:490 b6:491 ff:20ac"],
  mac_greek: ["mac-greek", "macgreek", "9c:20ac af:b7 ff:ad"],
  mac_iceland: ["mac-iceland", "maciceland", "bd:3a9 db:20ac f0:f8ff"],
  mac_roman: ["mac-roman", "macintosh macroman", "bd:3a9 db:20ac f0:f8ff"],
  mac_turkish: ["mac-turkish", "macturkish", "bd:3a9 f0:f8ff f5:f8a0"],
  tis_620: [
    "tis-620",
    "iso_ir_166 tis620 tis_620_0 tis_620_2529_0 tis_620_2529_1",
    Array.from({ length: 32 }, (_, i) => `${hex2(0x80 + i)}:${hex2(0x80 + i)}`)
      .join(" "),
  ],
};

for (const [module, [name, aliases, overrides]] of Object.entries(CHARMAPS)) {
  CODEC_SPECS[module] = {
    name,
    aliases,
    make: () => charmapCodec(module, overrides ?? ""),
  };
}

let aliasIndex: Map<string, string> | undefined;

function getAliasIndex(): Map<string, string> {
  if (aliasIndex) return aliasIndex;
  aliasIndex = new Map();
  for (const [module, spec] of Object.entries(CODEC_SPECS)) {
    for (const alias of spec.aliases.split(" ")) {
      if (alias) aliasIndex.set(alias, module);
    }
  }
  return aliasIndex;
}

/**
 * Python's `encodings.normalize_encoding` applied after `codecs.lookup`'s
 * lowercasing: runs of anything but ASCII letters, digits and `.` become
 * one `_`, trimmed at both ends.
 */
function normalizeName(encoding: string): string {
  let out = "";
  let punct = false;
  for (const ch of encoding.toLowerCase()) {
    const code = ch.codePointAt(0) as number;
    const asciiAlnum = (code >= 0x30 && code <= 0x39) ||
      (code >= 0x61 && code <= 0x7a) || code === 0x2e;
    // Non-ASCII letters count as name characters but are dropped.
    const keep = asciiAlnum || (code > 0x7f && /[\p{L}\p{N}]/u.test(ch));
    if (keep) {
      if (punct && out) out += "_";
      if (asciiAlnum) out += ch;
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

function findModule(encoding: string): string | undefined {
  if (encoding.includes("\0")) return undefined;
  const norm = normalizeName(encoding);
  const index = getAliasIndex();
  const aliased = index.get(norm) ?? index.get(norm.replaceAll(".", "_"));
  if (aliased) return aliased;
  if (!norm.includes(".") && Object.hasOwn(CODEC_SPECS, norm)) return norm;
  return undefined;
}

const codecCache = new Map<string, Codec>();
const FAST_NAMES: Record<string, string> = {
  "utf-8": "utf_8",
  "utf8": "utf_8",
  "ascii": "ascii",
  "latin-1": "latin_1",
  "latin1": "latin_1",
  "iso-8859-1": "latin_1",
};

function getCodec(encoding: string): Codec {
  const fast = FAST_NAMES[encoding];
  const module = fast ?? findModule(encoding);
  if (module === undefined) {
    throw new TypeError(`unknown encoding: ${encoding}`);
  }
  let codec = codecCache.get(module);
  if (!codec) {
    codec = (CODEC_SPECS[module] as CodecSpec).make();
    codecCache.set(module, codec);
  }
  return codec;
}

/**
 * Python's canonical name for an encoding (`codecs.lookup(name).name`),
 * e.g. `"latin1"` -> `"iso8859-1"`, `"windows-1252"` -> `"cp1252"`.
 * Throws `TypeError("unknown encoding: X")` for names Python (or this
 * port) does not know.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { lookupEncoding } from "./codec.ts";
 * equal(lookupEncoding("Latin-1"), "iso8859-1");
 * equal(lookupEncoding("windows-1252"), "cp1252");
 * throws(() => lookupEncoding("klingon"), TypeError);
 * ```
 */
export function lookupEncoding(encoding: string): string {
  const module = findModule(encoding);
  if (module === undefined) {
    throw new TypeError(`unknown encoding: ${encoding}`);
  }
  return (CODEC_SPECS[module] as CodecSpec).name;
}

/**
 * Python's `str.encode(encoding, errors)`. Lone surrogates in the string
 * stand for Python's lone surrogates (so `surrogateescape` round-trips).
 *
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { encodeText } from "./codec.ts";
 * deepEqual(encodeText("é"), new Uint8Array([0xc3, 0xa9]));
 * deepEqual(encodeText("é€", "latin-1", "replace"), new Uint8Array([0xe9, 0x3f]));
 * deepEqual(encodeText("\udcff", "utf-8", "surrogateescape"), new Uint8Array([0xff]));
 * throws(() => encodeText("€", "ascii"), TypeError);
 * ```
 */
export function encodeText(
  text: string,
  encoding = "utf-8",
  errors = "strict",
): Uint8Array {
  return getCodec(encoding).encode(text, errors);
}

/**
 * Python's `bytes.decode(encoding, errors)`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { decodeBytes } from "./codec.ts";
 * equal(decodeBytes(new Uint8Array([0x61, 0xff]), "utf-8", "replace"), "a\ufffd");
 * equal(decodeBytes(new Uint8Array([0xff]), "utf-8", "surrogateescape"), "\udcff");
 * equal(decodeBytes(new Uint8Array([0x80]), "cp1252"), "€");
 * equal(decodeBytes(new Uint8Array([0x82, 0xa0]), "shift_jis"), "あ");
 * ```
 */
export function decodeBytes(
  bytes: Uint8Array,
  encoding = "utf-8",
  errors = "strict",
): string {
  return getCodec(encoding).decode(bytes, errors);
}

// ---------------------------------------------------------------------------
// Error handling shared by all codecs

const KNOWN_HANDLERS = new Set([
  "strict",
  "ignore",
  "replace",
  "surrogateescape",
  "surrogatepass",
  "xmlcharrefreplace",
  "backslashreplace",
  "namereplace",
]);

function unknownHandler(errors: string): TypeError {
  return new TypeError(`unknown error handler name '${errors}'`);
}

/** Growable byte buffer for the slow paths. */
class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  push(byte: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = byte;
  }
  pushAll(bytes: ArrayLike<number>): void {
    if (this.len + bytes.length > this.buf.length) this.grow(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      this.buf[this.len++] = bytes[i] as number;
    }
  }
  pushAscii(text: string): void {
    for (let i = 0; i < text.length; i++) this.push(text.charCodeAt(i));
  }
  private grow(extra: number): void {
    const next = new Uint8Array(
      Math.max(this.buf.length * 2, this.len + extra),
    );
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Code points of a JS string, lone surrogates kept as themselves. */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}

/**
 * Describes how one codec encodes single code points; the generic encoder
 * groups unencodable code points into runs as Python's built-in encoders do
 * (CJK encoders report one character at a time).
 */
interface CharEncoder {
  readonly errName: string;
  readonly reason: string;
  readonly groupRuns: boolean;
  /** Whether `surrogateescape` may escape part of a run (CPython's fast encoders). */
  readonly escapesPrefix?: boolean;
  /** Bytes per code unit: replacement text is encoded, not copied as ASCII. */
  readonly unitSize?: number;
  /** Writes a surrogate as `surrogatepass` wants; absent: not allowed. */
  passSurrogate?(cp: number, sink: ByteSink): void;
  /** Appends the encoding of `cp` to `sink`; false when it has none. */
  encodeCp(cp: number, sink: ByteSink): boolean;
}

/** Writes handler output (always ASCII) through the codec itself. */
function pushReplacement(enc: CharEncoder, text: string, sink: ByteSink): void {
  if (!enc.unitSize) {
    sink.pushAscii(text);
    return;
  }
  for (let i = 0; i < text.length; i++) enc.encodeCp(text.charCodeAt(i), sink);
}

function encodeSlow(
  text: string,
  errors: string,
  enc: CharEncoder,
): Uint8Array {
  const cps = codePoints(text);
  const sink = new ByteSink(text.length + 8);
  let i = 0;
  while (i < cps.length) {
    const cp = cps[i] as number;
    if (enc.encodeCp(cp, sink)) {
      i++;
      continue;
    }
    let end = i + 1;
    if (enc.groupRuns) {
      while (end < cps.length) {
        // Probe into a scratch sink: only unencodable code points extend the run.
        if (enc.encodeCp(cps[end] as number, scratch())) break;
        end++;
      }
    }
    handleEncodeError(text, cps, i, end, errors, enc, sink);
    i = end;
  }
  return sink.result();
}

let scratchSink: ByteSink | undefined;
function scratch(): ByteSink {
  scratchSink ??= new ByteSink(16);
  scratchSink.len = 0;
  return scratchSink;
}

function handleEncodeError(
  text: string,
  cps: number[],
  start: number,
  end: number,
  errors: string,
  enc: CharEncoder,
  sink: ByteSink,
): void {
  const fail = (from = start) =>
    new UnicodeEncodeError(
      enc.errName,
      text,
      from,
      end,
      enc.reason,
      cps[from] as number,
    );
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return;
    case "replace":
      for (let k = start; k < end; k++) pushReplacement(enc, "?", sink);
      return;
    case "xmlcharrefreplace":
      for (let k = start; k < end; k++) {
        pushReplacement(enc, `&#${cps[k]};`, sink);
      }
      return;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        pushReplacement(enc, escapeCodePoint(cps[k] as number), sink);
      }
      return;
    case "surrogateescape": {
      const isEscape = (k: number) => {
        const cp = cps[k] as number;
        return cp >= 0xdc80 && cp <= 0xdcff;
      };
      // Single escaped bytes cannot stand in a UTF-16/32 stream.
      if (enc.unitSize) throw fail();
      if (!enc.escapesPrefix) {
        for (let k = start; k < end; k++) if (!isEscape(k)) throw fail();
      }
      // CPython's UTF-8, ASCII and Latin-1 encoders write the escaped
      // prefix of the run and report only the rest.
      let k = start;
      for (; k < end && isEscape(k); k++) {
        sink.push((cps[k] as number) - 0xdc00);
      }
      if (k < end) throw fail(k);
      return;
    }
    case "surrogatepass": {
      if (!enc.passSurrogate) throw fail();
      for (let k = start; k < end; k++) {
        const cp = cps[k] as number;
        if (cp < 0xd800 || cp > 0xdfff) throw fail();
      }
      for (let k = start; k < end; k++) {
        enc.passSurrogate(cps[k] as number, sink);
      }
      return;
    }
    case "namereplace":
      // The Unicode character-name database is not available in Deno.
      throw new TypeError(
        "the 'namereplace' error handler is not supported by this port",
      );
    default:
      throw unknownHandler(errors);
  }
}

/** Collects decoded text from code points and string pieces. */
class TextSink {
  private parts: string[] = [];
  private units: number[] = [];
  pushCp(cp: number): void {
    if (cp < 0x10000) {
      this.units.push(cp);
    } else {
      const v = cp - 0x10000;
      this.units.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
    }
    if (this.units.length >= 4096) this.flush();
  }
  pushStr(s: string): void {
    this.flush();
    this.parts.push(s);
  }
  private flush(): void {
    if (this.units.length) {
      this.parts.push(String.fromCharCode(...this.units));
      this.units = [];
    }
  }
  result(): string {
    this.flush();
    return this.parts.join("");
  }
}

function handleDecodeError(
  bytes: Uint8Array,
  start: number,
  end: number,
  reason: string,
  errors: string,
  errName: string,
  sink: TextSink,
): number {
  const fail = () => new UnicodeDecodeError(errName, bytes, start, end, reason);
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return end;
    case "replace":
      sink.pushCp(0xfffd);
      return end;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        sink.pushStr("\\x" + hex2(bytes[k] as number));
      }
      return end;
    case "surrogateescape": {
      // Python escapes at most four bytes, stopping at the first ASCII one,
      // and resumes decoding there.
      let k = start;
      while (k < end && k - start < 4 && (bytes[k] as number) >= 0x80) {
        sink.pushCp(0xdc00 + (bytes[k] as number));
        k++;
      }
      if (k === start) throw fail();
      return k;
    }
    case "surrogatepass":
      throw fail();
    default:
      if (KNOWN_HANDLERS.has(errors)) {
        throw new TypeError(
          "don't know how to handle UnicodeDecodeError in error callback",
        );
      }
      throw unknownHandler(errors);
  }
}

// ---------------------------------------------------------------------------
// UTF-8

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
function utf8LeadTable(surrogates: boolean): readonly (Utf8Lead | undefined)[] {
  const table: (Utf8Lead | undefined)[] = new Array(256).fill(undefined);
  for (let b = 0xc2; b <= 0xf4; b++) {
    const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed && !surrogates) hi = 0x9f;
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
 * import { UTF8_LEADS } from "./codec.ts";
 * equal(UTF8_LEADS[0xe0]?.lo, 0xa0);
 * equal(UTF8_LEADS[0xc0], undefined);
 * ```
 */
export const UTF8_LEADS = utf8LeadTable(false);
/** {@linkcode UTF8_LEADS} with encoded surrogates admitted ("surrogatepass"). */
const UTF8_LEADS_SURROGATEPASS = utf8LeadTable(true);
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
  const leads = errors === "surrogatepass"
    ? UTF8_LEADS_SURROGATEPASS
    : UTF8_LEADS;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      sink.pushCp(b);
      i++;
      continue;
    }
    const lead = leads[b];
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
    if (problem) {
      i = handleDecodeError(bytes, i, j, problem, errors, errName, sink);
    } else {
      sink.pushCp(cp);
      i = j;
    }
  }
  return sink.result();
}

const utf8Codec: Codec = { encode: utf8Encode, decode: utf8Decode };

const utf8SigCodec: Codec = {
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

// ---------------------------------------------------------------------------
// UTF-16 and UTF-32

type Endian = "le" | "be";

/**
 * UTF-16 (`size` 2) or UTF-32 (`size` 4). With `endian` null the codec is
 * Python's BOM-writing `utf-16`/`utf-32`: it encodes little-endian (the
 * native order here) after a BOM and decodes by the BOM, little-endian
 * without one.
 */
function wideCodec(size: 2 | 4, endian: Endian | null): Codec {
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

// ---------------------------------------------------------------------------
// ASCII and Latin-1

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
function encodeNarrow(text: string, limit: number): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= limit) return null;
    out[i] = c;
  }
  return out;
}

const asciiCodec: Codec = {
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

function latin1Decode(bytes: Uint8Array): string {
  let out = "";
  const chunk = 8192;
  for (let i = 0; i < bytes.length; i += chunk) {
    out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return out;
}

const latin1Codec: Codec = {
  encode(text, errors) {
    return encodeNarrow(text, 0x100) ?? encodeSlow(text, errors, latin1Chars);
  },
  decode: latin1Decode,
};

// ---------------------------------------------------------------------------
// Single-byte code pages

const UNDEFINED = 0xfffe;

function charmapCodec(module: string, overrides: string): Codec {
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

// ---------------------------------------------------------------------------
// CJK multibyte codecs via iconv-lite

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

function multibyte(errName: string): Codec {
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
