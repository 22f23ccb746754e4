/**
 * Encoding names resolved as CPython 3.13's `codecs.lookup` resolves them
 * (aliases, normalisation, canonical names), and the entry points
 * {@linkcode encodeText} and {@linkcode decodeBytes} that pick a codec by
 * name.
 *
 * Follows CPython 3.13 `Lib/encodings/__init__.py` (`normalize_encoding`) and `Lib/encodings/aliases.py`.
 *
 * @module
 */
import { asciiCodec, latin1Codec } from "./ascii_latin1.ts";
import { charmapCodec } from "./charmap.ts";
import type { Codec } from "./error_handlers.ts";
import { multibyte } from "./multibyte.ts";
import { hex2 } from "./unicode_errors.ts";
import { type Endian, wideCodec } from "./utf16_32.ts";
import { utf8Codec, utf8SigCodec } from "./utf8.ts";

interface CodecSpec {
  /** `codecs.lookup(name).name` in Python. */
  readonly name: string;
  /** Normalised aliases accepted besides the module name. */
  readonly aliases: string;
  readonly make: () => Codec;
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
 * Single-byte code pages: module name -> [lookup name, aliases, overrides,
 * base]. Overrides are `byte:codepoint` pairs (hex) where iconv-lite's table
 * differs from Python's; `fffe` marks a byte Python leaves undefined. The
 * table starts from iconv-lite's of the same name, or of `base` for a code
 * page iconv-lite lacks.
 */
const CHARMAPS: Record<string, readonly [string, string, string?, string?]> = {
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
  // PalmOS: cp1252 with the card suits, and five controls left as they are.
  palmos: [
    "palmos",
    "",
    "81:81 8d:2666 8e:2663 8f:2665 90:2660 9b:9b 9d:9d 9e:9e",
    "cp1252",
  ],
  tis_620: [
    "tis-620",
    "iso_ir_166 tis620 tis_620_0 tis_620_2529_0 tis_620_2529_1",
    Array.from({ length: 32 }, (_, i) => `${hex2(0x80 + i)}:${hex2(0x80 + i)}`)
      .join(" "),
  ],
};

for (
  const [module, [name, aliases, overrides, base]] of Object.entries(CHARMAPS)
) {
  CODEC_SPECS[module] = {
    name,
    aliases,
    make: () => charmapCodec(base ?? module, overrides ?? ""),
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
  // Python lower-cases ASCII letters only (U+212A, the Kelvin sign, is no
  // "k" to it).
  const lowered = encoding.replace(/[A-Z]+/g, (run) => run.toLowerCase());
  for (const ch of lowered) {
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
 * import { lookupEncoding } from "./mod.ts";
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
 * import { encodeText } from "./mod.ts";
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
 * import { decodeBytes } from "./mod.ts";
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
  // Python's bytes.decode gives "" for no bytes before it looks the codec up.
  if (bytes.length === 0) return "";
  return getCodec(encoding).decode(bytes, errors);
}
