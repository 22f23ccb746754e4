import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  decodeBytes,
  encodeText,
  lookupEncoding,
  UnicodeDecodeError,
  UnicodeEncodeError,
} from "../../_util/codec/mod.ts";
import { havePython313, pythonGenerated, pythonJson } from "../_python.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

function throwsMessage(fn: () => unknown, name: string, message: string) {
  throws(fn, (e: unknown) => {
    equal((e as Error).name, name);
    equal((e as Error).message, message);
    return e instanceof TypeError;
  });
}

Deno.test("lookupEncoding: Python's names, aliases and normalisation", () => {
  const cases: [string, string][] = [
    ["utf-8", "utf-8"],
    ["UTF8", "utf-8"],
    ["u8", "utf-8"],
    ["utf", "utf-8"],
    ["utf 8", "utf-8"],
    ["  utf--8  ", "utf-8"],
    ["UTF_8", "utf-8"],
    ["cp65001", "utf-8"],
    ["utf-8-sig", "utf-8-sig"],
    ["latin1", "iso8859-1"],
    ["Latin-1", "iso8859-1"],
    ["L1", "iso8859-1"],
    ["iso-8859-1", "iso8859-1"],
    ["ISO_8859-1:1987", "iso8859-1"],
    ["iso8859.1", "iso8859-1"],
    ["8859", "iso8859-1"],
    ["cp819", "iso8859-1"],
    ["ascii", "ascii"],
    ["US-ASCII", "ascii"],
    ["646", "ascii"],
    ["cp1252", "cp1252"],
    ["windows-1252", "cp1252"],
    ["windows.1252", "cp1252"],
    ["iso-8859-15", "iso8859-15"],
    ["latin9", "iso8859-15"],
    ["koi8-r", "koi8-r"],
    ["macroman", "mac-roman"],
    ["Shift-JIS", "shift_jis"],
    ["sjis", "shift_jis"],
    ["windows-31j", "cp932"],
    ["euc-jp", "euc_jp"],
    ["gb2312", "gb2312"],
    ["GBK", "gbk"],
    ["cp936", "gbk"],
    ["gb18030", "gb18030"],
    ["big5", "big5"],
    ["euc-kr", "euc_kr"],
    ["uhc", "cp949"],
    // A non-ASCII letter is dropped, never lower-cased into ASCII (U+0130).
    ["utf-8\u0130", "utf-8"],
  ];
  for (const [name, canonical] of cases) {
    equal(lookupEncoding(name), canonical, name);
  }
});

Deno.test("lookupEncoding: unknown names are TypeErrors with Python's message", () => {
  for (
    const name of [
      "utf.8",
      "latin-9",
      "x-mac-roman",
      "",
      "bogus",
      "utf-8\0",
      "latin.1",
      // U+212A KELVIN SIGN: Python lower-cases ASCII letters only.
      "\u212aoi8-r",
    ]
  ) {
    throws(() => lookupEncoding(name), {
      name: "TypeError",
      message: `unknown encoding: ${name}`,
    });
    throws(() => encodeText("a", name), TypeError);
    throws(() => decodeBytes(bytes(0x61), name), TypeError);
  }
});

Deno.test("encodeText: strict errors carry Python's messages", () => {
  const cases: [string, string, string][] = [
    [
      "é",
      "ascii",
      "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)",
    ],
    [
      "éé",
      "ascii",
      "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)",
    ],
    [
      "ab\u{1f600}",
      "ascii",
      "'ascii' codec can't encode character '\\U0001f600' in position 2: ordinal not in range(128)",
    ],
    [
      "\u{1f600}é",
      "ascii",
      "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)",
    ],
    [
      "€",
      "latin-1",
      "'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)",
    ],
    [
      "\ud800",
      "utf-8",
      "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
    ],
    [
      "a\udc00\udc01",
      "utf-8",
      "'utf-8' codec can't encode characters in position 1-2: surrogates not allowed",
    ],
    [
      "\x81",
      "cp1252",
      "'charmap' codec can't encode character '\\x81' in position 0: character maps to <undefined>",
    ],
    [
      "é",
      "shift_jis",
      "'shift_jis' codec can't encode character '\\xe9' in position 0: illegal multibyte sequence",
    ],
    [
      "\ud800",
      "gbk",
      "'gbk' codec can't encode character '\\ud800' in position 0: illegal multibyte sequence",
    ],
  ];
  for (const [text, enc, message] of cases) {
    throwsMessage(() => encodeText(text, enc), "UnicodeEncodeError", message);
  }
  throws(() => encodeText("é", "ascii"), UnicodeEncodeError);
});

Deno.test("encodeText: error handlers as Python applies them", () => {
  const text = "é€\ud800x\u{1f600}";
  const cases: [string, string, string][] = [
    ["ascii", "replace", "3f 3f 3f 78 3f"],
    ["latin-1", "replace", "e9 3f 3f 78 3f"],
    ["utf-8", "replace", "c3 a9 e2 82 ac 3f 78 f0 9f 98 80"],
    ["cp1252", "replace", "e9 80 3f 78 3f"],
    ["shift_jis", "replace", "3f 3f 3f 78 3f"],
    ["ascii", "ignore", "78"],
    ["utf-8", "ignore", "c3 a9 e2 82 ac 78 f0 9f 98 80"],
  ];
  for (const [enc, errors, want] of cases) {
    equal(hex(encodeText(text, enc, errors)), want, `${enc} ${errors}`);
  }
  const ascii = (s: string) =>
    new TextDecoder().decode(encodeText(text, s, "xmlcharrefreplace"));
  equal(ascii("ascii"), "&#233;&#8364;&#55296;x&#128512;");
  equal(
    new TextDecoder().decode(encodeText(text, "ascii", "backslashreplace")),
    "\\xe9\\u20ac\\ud800x\\U0001f600",
  );
  equal(hex(encodeText("\ud800", "utf-8", "surrogatepass")), "ed a0 80");
  throws(
    () => encodeText("\ud800", "latin-1", "surrogatepass"),
    UnicodeEncodeError,
  );
});

Deno.test("encodeText: surrogateescape writes escaped bytes and refuses anything else", () => {
  equal(
    hex(encodeText("a\udcff\udc80", "utf-8", "surrogateescape")),
    "61 ff 80",
  );
  equal(hex(encodeText("\udce9", "ascii", "surrogateescape")), "e9");
  // The whole run of unencodable characters is reported, as Python does.
  throwsMessage(
    () => encodeText("é€\ud800", "ascii", "surrogateescape"),
    "UnicodeEncodeError",
    "'ascii' codec can't encode characters in position 0-2: ordinal not in range(128)",
  );
  throwsMessage(
    () => encodeText("é", "shift_jis", "surrogateescape"),
    "UnicodeEncodeError",
    "'shift_jis' codec can't encode character '\\xe9' in position 0: illegal multibyte sequence",
  );
});

Deno.test("encodeText: unknown error handlers only fail when an error happens", () => {
  deepEqual(encodeText("a", "ascii", "bogus"), bytes(0x61));
  throws(() => encodeText("é", "ascii", "bogus"), {
    name: "TypeError",
    message: "unknown error handler name 'bogus'",
  });
});

Deno.test("decodeBytes: UTF-8 errors name Python's reasons and positions", () => {
  const cases: [number[], string][] = [
    [
      [0xff],
      "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    ],
    [
      [0xe9, 0x80],
      "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
    ],
    [
      [0x61, 0xe9],
      "'utf-8' codec can't decode byte 0xe9 in position 1: unexpected end of data",
    ],
    [
      [0xed, 0xa0, 0x80],
      "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
    ],
    [
      [0xe2, 0x82, 0x41],
      "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
    ],
    [
      [0xc0, 0xaf],
      "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte",
    ],
    [
      [0xf4, 0x90, 0x80, 0x80],
      "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte",
    ],
  ];
  for (const [input, message] of cases) {
    throwsMessage(
      () => decodeBytes(bytes(...input)),
      "UnicodeDecodeError",
      message,
    );
  }
  throws(() => decodeBytes(bytes(0xff)), UnicodeDecodeError);
});

Deno.test("decodeBytes: UTF-8 keeps a BOM; utf-8-sig drops it", () => {
  equal(decodeBytes(bytes(0xef, 0xbb, 0xbf, 0x61)), "\ufeffa");
  equal(decodeBytes(bytes(0xef, 0xbb, 0xbf, 0x61), "utf-8-sig"), "a");
  equal(hex(encodeText("a", "utf-8-sig")), "ef bb bf 61");
});

Deno.test("decodeBytes: error handlers as Python applies them", () => {
  const input = bytes(0x61, 0xff, 0x81, 0xe9, 0x80, 0x62, 0xf0, 0x9f, 0x98);
  const cases: [string, string, string][] = [
    ["ascii", "replace", "a\ufffd\ufffd\ufffd\ufffdb\ufffd\ufffd\ufffd"],
    ["utf-8", "replace", "a\ufffd\ufffd\ufffdb\ufffd"],
    ["cp1252", "replace", "aÿ\ufffdé€bðŸ˜"],
    ["shift_jis", "replace", "a\ufffd\ufffd騾b\ufffd沽"],
    ["ascii", "ignore", "ab"],
    ["utf-8", "ignore", "ab"],
    ["shift_jis", "ignore", "a騾b沽"],
    ["utf-8", "backslashreplace", "a\\xff\\x81\\xe9\\x80b\\xf0\\x9f\\x98"],
    ["cp1252", "backslashreplace", "aÿ\\x81é€bðŸ˜"],
    [
      "utf-8",
      "surrogateescape",
      "a\udcff\udc81\udce9\udc80b\udcf0\udc9f\udc98",
    ],
    ["shift_jis", "surrogateescape", "a\udcff\udc81騾b\udcf0沽"],
  ];
  for (const [enc, errors, want] of cases) {
    equal(decodeBytes(input, enc, errors), want, `${enc} ${errors}`);
  }
  equal(
    decodeBytes(bytes(0xed, 0xa0, 0x80), "utf-8", "surrogatepass"),
    "\ud800",
  );
  // Anything short of a whole encoded surrogate fails where strict decoding
  // fails, as Python's handler raises the strict error again.
  for (const tail of [[0xa0], [0xbf, 0xef]]) {
    for (const codec of ["utf-8", "utf-8-sig"]) {
      throws(
        () => decodeBytes(bytes(0xed, ...tail), codec, "surrogatepass"),
        {
          name: "UnicodeDecodeError",
          message:
            "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
        },
      );
    }
  }
  throws(() => decodeBytes(bytes(0xff), "utf-8", "xmlcharrefreplace"), {
    name: "TypeError",
    message: "don't know how to handle UnicodeDecodeError in error callback",
  });
  throws(() => decodeBytes(bytes(0xff), "utf-8", "bogus"), {
    message: "unknown error handler name 'bogus'",
  });
});

Deno.test("surrogateescape round-trips arbitrary bytes through text", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const enc of ["utf-8", "ascii", "shift_jis"]) {
    const text = decodeBytes(all, enc, "surrogateescape");
    deepEqual(encodeText(text, enc, "surrogateescape"), all, enc);
  }
});

Deno.test("legacy codecs: Python's mappings, not iconv-lite's", () => {
  equal(decodeBytes(bytes(0x80), "cp1252"), "€");
  throwsMessage(
    () => decodeBytes(bytes(0x81), "cp1252"),
    "UnicodeDecodeError",
    "'charmap' codec can't decode byte 0x81 in position 0: character maps to <undefined>",
  );
  equal(decodeBytes(bytes(0xdb), "mac-roman"), "€");
  equal(decodeBytes(bytes(0x80), "tis-620"), "\x80");
  // PalmOS: cp1252 with the card suits where cp1252 has Ž and gaps.
  equal(decodeBytes(bytes(0x8d, 0x8e, 0x80, 0x81), "palmos"), "♦♣€\x81");
  throws(() => encodeText("Ž", "palmos"), UnicodeEncodeError);
  // JIS X 0208 as Python maps it (wave dash, not fullwidth tilde).
  equal(decodeBytes(bytes(0x81, 0x60), "shift_jis"), "\u301c");
  equal(decodeBytes(bytes(0x81, 0x60), "cp932"), "\uff5e");
  equal(hex(encodeText("\u301c", "cp932")), "81 60");
  equal(hex(encodeText("¥", "shift_jis")), "5c");
  // NEC rows are cp932-only.
  throws(() => decodeBytes(bytes(0x87, 0x40), "shift_jis"), UnicodeDecodeError);
  equal(decodeBytes(bytes(0x87, 0x40), "cp932"), "①");
  equal(hex(encodeText("ⅰ", "cp932")), "ee ef");
  equal(decodeBytes(bytes(0xf0, 0x40), "cp932"), "\ue000");
  // gb2312 is the EUC subset of GBK; gbk has no euro sign.
  throws(() => decodeBytes(bytes(0x81, 0x40), "gb2312"), UnicodeDecodeError);
  equal(decodeBytes(bytes(0x81, 0x40), "gbk"), "丂");
  throws(() => encodeText("€", "gbk"), UnicodeEncodeError);
  equal(hex(encodeText("€", "gb18030")), "a2 e3");
  equal(hex(encodeText("\ufffd", "gb18030")), "84 31 a4 37");
  // EUC-KR spells syllables outside KS X 1001 with jamo.
  equal(hex(encodeText("갂", "euc_kr")), "a4 d4 a4 a1 a4 bf a4 a2");
  equal(
    decodeBytes(
      bytes(0xa4, 0xd4, 0xa4, 0xa1, 0xa4, 0xbf, 0xa4, 0xa2),
      "euc_kr",
    ),
    "갂",
  );
  equal(hex(encodeText("가", "euc_kr")), "b0 a1");
});

Deno.test("legacy codecs: incomplete versus illegal multibyte sequences", () => {
  throwsMessage(
    () => decodeBytes(bytes(0x81), "shift_jis"),
    "UnicodeDecodeError",
    "'shift_jis' codec can't decode byte 0x81 in position 0: incomplete multibyte sequence",
  );
  throwsMessage(
    () => decodeBytes(bytes(0x81, 0x20), "shift_jis"),
    "UnicodeDecodeError",
    "'shift_jis' codec can't decode byte 0x81 in position 0: illegal multibyte sequence",
  );
  throwsMessage(
    () => decodeBytes(bytes(0xff), "shift_jis"),
    "UnicodeDecodeError",
    "'shift_jis' codec can't decode byte 0xff in position 0: illegal multibyte sequence",
  );
  throwsMessage(
    () => decodeBytes(bytes(0x8f, 0xa1), "euc_jp"),
    "UnicodeDecodeError",
    "'euc_jp' codec can't decode bytes in position 0-1: incomplete multibyte sequence",
  );
  equal(
    decodeBytes(bytes(0x82, 0x41, 0x8f, 0xa1), "euc_jp", "replace"),
    "\ufffdA\ufffd",
  );
  equal(decodeBytes(bytes(0x8f, 0x20), "euc_jp", "surrogateescape"), "\udc8f ");
});

Deno.test("every supported encoding round-trips ASCII and its own decoding", () => {
  const names = [
    "utf-8",
    "ascii",
    "latin-1",
    "cp1252",
    "cp1251",
    "cp437",
    "cp850",
    "cp866",
    "iso8859-2",
    "iso8859-15",
    "koi8-r",
    "koi8-u",
    "mac-roman",
    "tis-620",
    "shift_jis",
    "cp932",
    "euc_jp",
    "gbk",
    "gb2312",
    "gb18030",
    "big5",
    "big5hkscs",
    "cp950",
    "euc_kr",
    "cp949",
  ];
  const ascii = "Hello, World! 0123456789 ~";
  for (const name of names) {
    equal(decodeBytes(encodeText(ascii, name), name), ascii, name);
    const sample = decodeBytes(
      Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i),
      name,
      "ignore",
    );
    equal(decodeBytes(encodeText(sample, name), name), sample, name);
  }
});

Deno.test("UTF-16 and UTF-32: BOMs, byte order and Python's errors", () => {
  equal(hex(encodeText("a\u{1f600}", "utf-16")), "ff fe 61 00 3d d8 00 de");
  equal(hex(encodeText("a", "utf-16-be")), "00 61");
  equal(hex(encodeText("a", "utf-32")), "ff fe 00 00 61 00 00 00");
  equal(hex(encodeText("a", "UTF-32BE")), "00 00 00 61");
  equal(decodeBytes(bytes(0xfe, 0xff, 0x00, 0x61), "utf-16"), "a");
  equal(decodeBytes(bytes(0xff, 0xfe, 0x61, 0x00), "utf-16-le"), "\ufeffa");
  equal(decodeBytes(bytes(0x3d, 0xd8, 0x00, 0xde), "utf-16"), "\u{1f600}");
  equal(hex(encodeText("?\ud800", "utf-16-le", "replace")), "3f 00 3f 00");
  equal(hex(encodeText("\ud800", "utf-16-le", "surrogatepass")), "00 d8");
  throwsMessage(
    () => encodeText("a\ud800\ud800", "utf-16"),
    "UnicodeEncodeError",
    "'utf-16' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  );
  throwsMessage(
    () => decodeBytes(bytes(0x61, 0x00, 0x62), "utf-16"),
    "UnicodeDecodeError",
    "'utf-16-le' codec can't decode byte 0x62 in position 2: truncated data",
  );
  throwsMessage(
    () => decodeBytes(bytes(0x00, 0xd8, 0x61, 0x00), "utf-16-le"),
    "UnicodeDecodeError",
    "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate",
  );
  throwsMessage(
    () => decodeBytes(bytes(0x00, 0x00, 0x11, 0x00), "utf-32-le"),
    "UnicodeDecodeError",
    "'utf-32-le' codec can't decode bytes in position 0-3: code point not in range(0x110000)",
  );
  equal(decodeBytes(bytes(0x00, 0xdc), "utf-16-le", "surrogatepass"), "\udc00");
});

// Differential check against CPython, when it is installed.
const GENERATOR = `
import json, random, sys
rng = random.Random(int(sys.argv[1]))
codecs_ = ["utf-8", "ascii", "latin-1", "cp1252", "koi8-r", "mac-roman", "shift_jis", "cp932",
           "euc_jp", "gbk", "gb2312", "gb18030", "euc_kr", "cp949", "utf-16", "utf-16-be",
           "utf-32-le"]
handlers = ["strict", "replace", "ignore", "backslashreplace", "surrogateescape"]
out = []
for _ in range(3000):
    enc = rng.choice(codecs_)
    err = rng.choice(handlers)
    data = bytes(rng.choice([rng.randrange(256), rng.randrange(0x80, 0x100), 0x41, 0xa4, 0xd4, 0x8f])
                 for _ in range(rng.randrange(8)))
    try:
        res = ["ok", data.decode(enc, err)]
    except UnicodeDecodeError as e:
        res = ["err", str(e)]
    out.append(["decode", enc, err, list(data), res])
    text = "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x80, 0x800),
                                   rng.randrange(0x3000, 0xa000), rng.randrange(0xac00, 0xd7a4),
                                   rng.randrange(0xdc80, 0xdd00)]))
                   for _ in range(rng.randrange(5)))
    eerr = rng.choice(["strict", "replace", "ignore", "xmlcharrefreplace", "backslashreplace",
                       "surrogateescape"])
    try:
        res = ["ok", list(text.encode(enc, eerr))]
    except UnicodeEncodeError as e:
        res = ["err", str(e)]
    out.append(["encode", enc, eerr, text, res])
json.dump(out, sys.stdout)
`;

Deno.test({
  name:
    "codec agrees with CPython 3.13 on random input (skipped without Python)",
  ignore: !havePython313(),
  async fn() {
    type Row = [string, string, string, number[] | string, [string, unknown]];
    const rows = await pythonGenerated<Row[]>(GENERATOR, "20251124");
    const failures: string[] = [];
    for (const [op, enc, errors, input, [status, want]] of rows) {
      let got: [string, unknown];
      try {
        got = op === "decode"
          ? ["ok", decodeBytes(Uint8Array.from(input as number[]), enc, errors)]
          : ["ok", Array.from(encodeText(input as string, enc, errors))];
      } catch (e) {
        got = ["err", (e as Error).message];
      }
      try {
        deepEqual(got, [status, want]);
      } catch {
        failures.push(JSON.stringify({ op, enc, errors, input, want, got }));
      }
    }
    deepEqual(failures.slice(0, 10), []);
  },
});

Deno.test({
  name:
    "every text codec of CPython 3.13 is here with Python's byte table, or is named in the README as missing (skipped without Python)",
  ignore: !havePython313(),
  async fn() {
    // Each codec module of CPython's `encodings` package that encodes text,
    // with what each single byte decodes to (null where it fails).
    const python = await pythonJson<Record<string, (string | null)[]>>(`
import codecs, encodings, json, pkgutil
tables = {}
for module in pkgutil.iter_modules(encodings.__path__):
    try:
        info = codecs.lookup(module.name)
    except LookupError:
        continue  # mbcs and oem exist on Windows only
    if not info._is_text_encoding:
        continue
    row = []
    for b in range(256):
        try:
            row.append(bytes([b]).decode(module.name))
        except UnicodeError:  # the undefined codec decodes nothing
            row.append(None)
    tables[module.name] = row
print(json.dumps(tables))
`);
    const readme = await Deno.readTextFile(
      new URL("../../README.md", import.meta.url),
    );
    const start = readme.indexOf("Codecs CPython has that are missing here");
    ok(start !== -1, "the README's paragraph on missing codecs");
    const paragraph = readme.slice(start, readme.indexOf("\n\n", start));
    const listed = new Set(
      Array.from(
        paragraph.matchAll(/`([a-z0-9_-]+)`/g),
        (m) => m[1]!.replaceAll("-", "_"),
      ),
    );
    const unlisted: string[] = [];
    const wrong: string[] = [];
    for (const [name, row] of Object.entries(python)) {
      try {
        lookupEncoding(name);
      } catch {
        // EBCDIC pages, the iso2022 family and the escapes are named by
        // family in the README; anything else must be named itself.
        const family =
          /^(cp(037|273|424|500|875|1026|1140)|iso2022_.*|.*_escape)$/;
        if (!listed.has(name) && !family.test(name)) unlisted.push(name);
        continue;
      }
      for (let b = 0; b < 256; b++) {
        let got: string | null;
        try {
          got = decodeBytes(bytes(b), name);
        } catch {
          got = null;
        }
        if (got !== row[b]) wrong.push(`${name} byte ${b.toString(16)}`);
      }
    }
    deepEqual(unlisted, [], `missing here, not in the README: ${unlisted}`);
    deepEqual(wrong.slice(0, 10), [], `decoded unlike CPython: ${wrong}`);
  },
});
