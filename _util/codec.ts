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

/** Python's `UnicodeEncodeError`: a `TypeError`, since Python's is a `ValueError`. */
export class UnicodeEncodeError extends TypeError {
  override name = "UnicodeEncodeError";
  /**
   * @param encoding codec name as Python reports it (`'charmap'` for code pages)
   * @param object the text being encoded
   * @param start first bad code point (counted in code points, as Python does)
   * @param end one past the last bad code point
   * @param reason Python's reason text
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

/** Python's `UnicodeDecodeError`: a `TypeError`, since Python's is a `ValueError`. */
export class UnicodeDecodeError extends TypeError {
  override name = "UnicodeDecodeError";
  /**
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
function escapeCodePoint(cp: number): string {
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
  shift_jis: {
    name: "shift_jis",
    aliases: "csshiftjis s_jis shiftjis sjis x_mac_japanese",
    make: () => multibyte("shift_jis", "shift_jis", 2),
  },
  cp932: {
    name: "cp932",
    aliases: "932 ms932 ms_kanji mskanji windows_31j",
    make: () => multibyte("cp932", "cp932", 2),
  },
  euc_jp: {
    name: "euc_jp",
    aliases: "eucjp u_jis ujis",
    make: () => multibyte("euc_jp", "euc-jp", 3),
  },
  gbk: {
    name: "gbk",
    aliases: "936 cp936 ms936",
    make: () => multibyte("gbk", "gbk", 2),
  },
  gb2312: {
    name: "gb2312",
    aliases:
      "chinese csiso58gb231280 euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80 iso_ir_58 x_mac_simp_chinese",
    make: () => multibyte("gb2312", "gbk", 2, isGb2312Sequence),
  },
  gb18030: {
    name: "gb18030",
    aliases: "gb18030_2000",
    make: () => multibyte("gb18030", "gb18030", 4),
  },
  big5: {
    name: "big5",
    aliases: "big5_tw csbig5 x_mac_trad_chinese",
    make: () => multibyte("big5", "cp950", 2),
  },
  big5hkscs: {
    name: "big5hkscs",
    aliases: "big5_hkscs hkscs",
    make: () => multibyte("big5hkscs", "big5hkscs", 2),
  },
  cp950: {
    name: "cp950",
    aliases: "950 ms950",
    make: () => multibyte("cp950", "cp950", 2),
  },
  euc_kr: {
    name: "euc_kr",
    aliases:
      "euckr korean ks_c_5601 ks_c_5601_1987 ks_x_1001 ksc5601 ksx1001 x_mac_korean",
    make: () => multibyte("euc_kr", "euc-kr", 2),
  },
  cp949: {
    name: "cp949",
    aliases: "949 ms949 uhc",
    make: () => multibyte("cp949", "cp949", 2),
  },
};

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
 */
export function lookupEncoding(encoding: string): string {
  const module = findModule(encoding);
  if (module === undefined) {
    throw new TypeError(`unknown encoding: ${encoding}`);
  }
  return (CODEC_SPECS[module] as CodecSpec).name;
}

/** Python's `str.encode(encoding, errors)`. */
export function encodeText(
  text: string,
  encoding = "utf-8",
  errors = "strict",
): Uint8Array {
  return getCodec(encoding).encode(text, errors);
}

/** Python's `bytes.decode(encoding, errors)`. */
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
  /** Appends the encoding of `cp` to `sink`; false when it has none. */
  encodeCp(cp: number, sink: ByteSink): boolean;
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
  const fail = () =>
    new UnicodeEncodeError(
      enc.errName,
      text,
      start,
      end,
      enc.reason,
      cps[start] as number,
    );
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return;
    case "replace":
      for (let k = start; k < end; k++) sink.push(0x3f);
      return;
    case "xmlcharrefreplace":
      for (let k = start; k < end; k++) sink.pushAscii(`&#${cps[k]};`);
      return;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        sink.pushAscii(escapeCodePoint(cps[k] as number));
      }
      return;
    case "surrogateescape": {
      for (let k = start; k < end; k++) {
        const cp = cps[k] as number;
        if (cp < 0xdc80 || cp > 0xdcff) throw fail();
      }
      for (let k = start; k < end; k++) sink.push((cps[k] as number) - 0xdc00);
      return;
    }
    case "surrogatepass": {
      if (enc.errName !== "utf-8") throw fail();
      for (let k = start; k < end; k++) {
        const cp = cps[k] as number;
        if (cp < 0xd800 || cp > 0xdfff) throw fail();
        sink.push(0xe0 | (cp >> 12));
        sink.push(0x80 | ((cp >> 6) & 0x3f));
        sink.push(0x80 | (cp & 0x3f));
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
): void {
  const fail = () => new UnicodeDecodeError(errName, bytes, start, end, reason);
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return;
    case "replace":
      sink.pushCp(0xfffd);
      return;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        sink.pushStr("\\x" + hex2(bytes[k] as number));
      }
      return;
    case "surrogateescape": {
      for (let k = start; k < end; k++) {
        if ((bytes[k] as number) < 0x80) throw fail();
      }
      for (let k = start; k < end; k++) {
        sink.pushCp(0xdc00 + (bytes[k] as number));
      }
      return;
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
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

const utf8Chars: CharEncoder = {
  errName: "utf-8",
  reason: "surrogates not allowed",
  groupRuns: true,
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
  const passSurrogates = errors === "surrogatepass";
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      sink.pushCp(b);
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed && !passSurrogates) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
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
      handleDecodeError(bytes, i, j, problem, errors, errName, sink);
    } else {
      sink.pushCp(cp);
    }
    i = j;
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
// ASCII and Latin-1

function limitedChars(limit: number, errName: string): CharEncoder {
  return {
    errName,
    reason: `ordinal not in range(${limit})`,
    groupRuns: true,
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

/** GB 2312 is the part of GBK whose two bytes both lie in 0xA1-0xFE. */
function isGb2312Sequence(seq: Uint8Array): boolean {
  if (seq.length === 1) return (seq[0] as number) < 0x80;
  return seq.length === 2 &&
    seq.every((b) => b >= 0xa1 && b <= 0xfe);
}

function multibyte(
  errName: string,
  iconvName: string,
  maxLen: number,
  accept: (seq: Uint8Array) => boolean = () => true,
): Codec {
  const toBytes = (s: string) =>
    new Uint8Array(iconv.encode(s, iconvName) as unknown as ArrayBufferLike);
  const chars: CharEncoder = {
    errName,
    reason: "illegal multibyte sequence",
    groupRuns: false,
    encodeCp(cp, sink) {
      if (cp < 0x80) {
        sink.push(cp);
        return true;
      }
      if (cp >= 0xd800 && cp <= 0xdfff) return false;
      const seq = toBytes(String.fromCodePoint(cp));
      // iconv-lite writes "?" for what it cannot encode.
      if (seq.length === 1 && seq[0] === 0x3f) return false;
      if (!accept(seq)) return false;
      sink.pushAll(seq);
      return true;
    },
  };
  const decodeOne = (seq: Uint8Array): number | undefined => {
    if (!accept(seq)) return undefined;
    const s = iconv.decode(seq as unknown as Buffer, iconvName);
    const cp = s.codePointAt(0);
    if (cp === undefined || cp === 0xfffd) return undefined;
    return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
  };
  return {
    encode(text, errors) {
      let questionMarks = 0;
      let plain = true;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x3f) questionMarks++;
        if (c >= 0x80) plain = false;
      }
      if (plain) return encodeNarrow(text, 0x80) as Uint8Array;
      if (errName === "gb2312" || !text.isWellFormed()) {
        return encodeSlow(text, errors, chars);
      }
      const bytes = toBytes(text);
      // Trail bytes of these encodings are never 0x3F, so every "?" in the
      // output is either the caller's own or iconv-lite's substitute.
      let seen = 0;
      for (const b of bytes) if (b === 0x3f) seen++;
      return seen === questionMarks ? bytes : encodeSlow(text, errors, chars);
    },
    decode(bytes, errors) {
      if (errName !== "gb2312") {
        const fast = iconv.decode(bytes as unknown as Buffer, iconvName);
        if (!fast.includes("\ufffd")) return fast;
      }
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
        let taken = 0;
        for (let k = 1; k <= maxLen && i + k <= n; k++) {
          const cp = decodeOne(bytes.subarray(i, i + k));
          if (cp !== undefined) {
            sink.pushCp(cp);
            taken = k;
            break;
          }
        }
        if (taken) {
          i += taken;
          continue;
        }
        const incomplete = i === n - 1 && b >= 0x81 && b <= 0xfe;
        handleDecodeError(
          bytes,
          i,
          incomplete ? n : i + 1,
          incomplete
            ? "incomplete multibyte sequence"
            : "illegal multibyte sequence",
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
