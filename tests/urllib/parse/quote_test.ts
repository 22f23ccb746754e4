import { deepEqual, equal, throws } from "node:assert/strict";
import {
  quote,
  quote_from_bytes,
  quote_plus,
  unquote,
  unquote_plus,
  unquote_to_bytes,
} from "../../../urllib/parse/mod.ts";
import { havePython313, pythonGenerated } from "../../_python.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => new Uint8Array(b);

Deno.test("quote: Python's always-safe set and nothing else", () => {
  let ascii = "";
  for (let c = 0; c < 128; c++) ascii += String.fromCharCode(c);
  const kept = [...ascii].filter((ch) => quote(ch, "") === ch).join("");
  equal(
    kept,
    "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~",
  );
  equal(quote(" "), "%20");
  equal(quote("\x7f"), "%7F");
});

Deno.test("quote: safe as str or bytes, non-ASCII safe ignored", () => {
  equal(quote("/a b/"), "/a%20b/");
  equal(quote("/a b/", ""), "%2Fa%20b%2F");
  equal(quote("a&b=c", "&="), "a&b=c");
  equal(quote("a/b", bytes(0x2f, 0xff)), "a/b");
  equal(quote("aé€", "é"), "a%C3%A9%E2%82%AC");
  equal(quote(utf8("a b/"), ""), "a%20b%2F");
});

Deno.test("quote: encodings and error handlers", () => {
  equal(quote("é"), "%C3%A9");
  equal(quote("\u{1f600}"), "%F0%9F%98%80");
  equal(quote("é", { encoding: "latin-1" }), "%E9");
  equal(quote("€", "/", "cp1252"), "%80");
  equal(quote("日本", { encoding: "shift_jis" }), "%93%FA%96%7B");
  equal(quote("a€", { encoding: "latin-1", errors: "replace" }), "a%3F");
  equal(quote("a€", { encoding: "ascii", errors: "ignore" }), "a");
  equal(
    quote("€", { encoding: "ascii", errors: "xmlcharrefreplace" }),
    "%26%238364%3B",
  );
  equal(quote("\udcff", { errors: "surrogateescape" }), "%FF");
  throws(() => quote("€", { encoding: "latin-1" }), {
    name: "UnicodeEncodeError",
    message:
      "'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)",
  });
  throws(() => quote("a\ud800"), {
    name: "UnicodeEncodeError",
    message:
      "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  });
  throws(() => quote("a", { encoding: "bogus" }), {
    name: "TypeError",
    message: "unknown encoding: bogus",
  });
  // Like Python, the empty string returns before the encoding is looked up.
  equal(quote("", { encoding: "bogus" }), "");
});

Deno.test("quote: bytes refuse encoding and errors; other types are TypeErrors", () => {
  throws(() => quote(utf8("a"), { encoding: "utf-8" }), {
    name: "TypeError",
    message: "quote() doesn't support 'encoding' for bytes",
  });
  throws(() => quote(utf8("a"), "/", null, "strict"), {
    name: "TypeError",
    message: "quote() doesn't support 'errors' for bytes",
  });
  throws(() => quote(42 as unknown as string), {
    name: "TypeError",
    message: "quote_from_bytes() expected bytes",
  });
  throws(() => quote("a b", null as unknown as string), TypeError);
});

Deno.test("quote: Python-style arguments (positional, keywords, mixed)", () => {
  equal(quote("a/b c", "", { encoding: "latin-1" }), "a%2Fb%20c");
  equal(quote("a/b", { safe: "" }), "a%2Fb");
  equal(quote("a/b", undefined, { encoding: "ascii" }), "a/b");
  throws(() => quote("a", { nope: 1 } as never), {
    message: "quote() got an unexpected keyword argument 'nope'",
  });
  throws(() => quote("a", "", { safe: "/" } as never), {
    message: "quote() got multiple values for argument 'safe'",
  });
});

Deno.test("quote_plus: spaces become +, + is quoted, safe defaults to ''", () => {
  equal(quote_plus("a b+c/d"), "a+b%2Bc%2Fd");
  equal(quote_plus("a b/c", "/"), "a+b/c");
  // Only an input holding a space has 0x20 bytes swapped for "+": without
  // one it is a plain quote, whatever bytes its codec gives.
  equal(quote_plus("\u2028", { encoding: "utf-16" }), "%FF%FE%28%20");
  equal(quote_plus("\u2028", { encoding: "utf-16", safe: " " }), "%FF%FE%28 ");
  equal(quote_plus("a \u2028", { encoding: "utf-16-le" }), "a%00+%00%28+");
  equal(quote_plus("a b", "+"), "a+b");
  equal(quote_plus(utf8("a b"), bytes(0x2f)), "a+b");
  equal(quote_plus("é ", { encoding: "latin-1" }), "%E9+");
  throws(() => quote_plus(utf8("a b"), "", "latin-1"), {
    message: "quote() doesn't support 'encoding' for bytes",
  });
});

Deno.test("quote_from_bytes: bytes only", () => {
  equal(quote_from_bytes(bytes(0x61, 0x20, 0x2f, 0xff)), "a%20/%FF");
  equal(quote_from_bytes(bytes(0x2f), ""), "%2F");
  equal(quote_from_bytes(bytes(0x2f), { safe: bytes() }), "%2F");
  equal(quote_from_bytes(bytes()), "");
  throws(() => quote_from_bytes("foo" as unknown as Uint8Array), {
    name: "TypeError",
    message: "quote_from_bytes() expected bytes",
  });
});

Deno.test("unquote: escapes, invalid escapes and non-ASCII text", () => {
  equal(unquote("abc%20def"), "abc def");
  equal(unquote("%"), "%");
  equal(unquote("%%41%4"), "%A%4");
  equal(unquote("%zz%2"), "%zz%2");
  equal(unquote("%aB%Ab"), "\ufffd\ufffd");
  equal(unquote("%aB%Ab", "latin-1"), "««");
  equal(unquote("é%C3%A9日"), "éé日");
  equal(unquote("+"), "+");
  equal(unquote("%F0%9F%98%80"), "\u{1f600}");
});

Deno.test("unquote: UTF-8 replacement follows the maximal-subpart rule", () => {
  equal(unquote("%FF"), "\ufffd");
  equal(unquote("%E2%82"), "\ufffd");
  equal(unquote("%E2%82A"), "\ufffdA");
  equal(unquote("%E2%82%E2%82%AC"), "\ufffd€");
  equal(unquote("%ED%A0%80"), "\ufffd\ufffd\ufffd");
  equal(unquote("%C0%AF"), "\ufffd\ufffd");
  equal(unquote("%F4%90%80%80"), "\ufffd\ufffd\ufffd\ufffd");
  equal(unquote("%C3é%A9"), "\ufffdé\ufffd");
});

Deno.test("unquote: encodings, error handlers and Python's error positions", () => {
  equal(unquote("%E9", "latin-1"), "é");
  equal(unquote("%93%FA%96%7B", { encoding: "shift_jis" }), "日本");
  equal(unquote("%E2%82", "utf-8", "backslashreplace"), "\\xe2\\x82");
  equal(unquote("%FF", { errors: "surrogateescape" }), "\udcff");
  equal(unquote("a%FFb", { errors: "ignore" }), "ab");
  // Positions count within each ASCII run, as Python decodes run by run.
  throws(() => unquote("é%41%FF", { errors: "strict" }), {
    name: "UnicodeDecodeError",
    message:
      "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
  });
  throws(() => unquote("%41", "bogus"), { message: "unknown encoding: bogus" });
  // No escape, no lookup.
  equal(unquote("abc", "bogus"), "abc");
});

Deno.test("unquote: bytes in (3.13), other types rejected", () => {
  equal(unquote(utf8("a%20b%C3%A9")), "a bé");
  equal(unquote(bytes(0x25, 0x45, 0x39), "latin-1"), "é");
  throws(() => unquote(null as unknown as string), TypeError);
  throws(() => unquote([] as unknown as string), TypeError);
});

Deno.test("unquote_plus: + is a space; bytes are a TypeError as in Python", () => {
  equal(unquote_plus("%7e/abc+def"), "~/abc def");
  equal(unquote_plus("1%2B1+2"), "1+1 2");
  equal(unquote_plus("%E9+", "latin-1"), "é ");
  throws(() => unquote_plus(utf8("a+b") as unknown as string), {
    name: "TypeError",
    message: "a bytes-like object is required, not 'str'",
  });
});

Deno.test("unquote_to_bytes: str is UTF-8 encoded first", () => {
  deepEqual(unquote_to_bytes("a%20b%FF"), bytes(0x61, 0x20, 0x62, 0xff));
  deepEqual(unquote_to_bytes("é%"), bytes(0xc3, 0xa9, 0x25));
  deepEqual(unquote_to_bytes(bytes(0x25, 0x34, 0x31, 0x25)), bytes(0x41, 0x25));
  deepEqual(unquote_to_bytes(bytes(0x25, 0x41, 0x25)), bytes(0x25, 0x41, 0x25));
  deepEqual(unquote_to_bytes(""), bytes());
  throws(() => unquote_to_bytes("\ud800"), {
    name: "UnicodeEncodeError",
    message:
      "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
  });
  throws(() => unquote_to_bytes(null as unknown as string), TypeError);
  // The input is never returned itself.
  const input = bytes(0x61);
  const output = unquote_to_bytes(input);
  output[0] = 0x62;
  equal(input[0], 0x61);
});

Deno.test("quote and unquote round-trip any text", () => {
  const samples = ["", "a b/c?d#e", "é€日\u{1f600}", "%41", "+ +", "\x00\x7f"];
  for (const s of samples) {
    equal(unquote(quote(s)), s);
    equal(unquote_plus(quote_plus(s)), s);
    if ([...s].every((ch) => ch.charCodeAt(0) < 0x100)) {
      equal(unquote(quote(s, "", "latin-1"), "latin-1"), s);
    }
  }
});

// Differential check against CPython, when it is installed.
const GENERATOR = `
import json, random, sys, urllib.parse as p
rng = random.Random(int(sys.argv[1]))
atoms = ["%C3", "%A9", "%E2", "%82", "%AC", "%F0", "%9F", "%98", "%80", "%ED", "%A0", "%FF",
         "%41", "%2", "%", "a", "+", " ", "\\xe9", "\\u65e5", "%e9", "%zz", "%8F", "%A1", "%81"]
encs = ["utf-8", "utf-8", "latin-1", "cp1252", "shift_jis", "euc_jp", "gbk", "ascii"]
out = []
for _ in range(4000):
    s = "".join(rng.choice(atoms) for _ in range(rng.randrange(8)))
    enc = rng.choice(encs)
    err = rng.choice(["replace", "replace", "strict", "ignore", "surrogateescape"])
    fn = rng.choice(["unquote", "unquote_plus"])
    try:
        res = ["ok", getattr(p, fn)(s, enc, err)]
    except UnicodeError as e:
        res = ["err", str(e)]
    out.append([fn, s, [enc, err], res])
    t = "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x80, 0x3000),
                                rng.randrange(0x3000, 0xd800), rng.randrange(0x10000, 0x10ffff)]))
                for _ in range(rng.randrange(6)))
    safe = rng.choice(["/", "", "\\xe9~ +"])
    err = rng.choice(["strict", "replace", "ignore", "xmlcharrefreplace", "backslashreplace"])
    fn = rng.choice(["quote", "quote_plus"])
    try:
        res = ["ok", getattr(p, fn)(t, safe, enc, err)]
    except UnicodeError as e:
        res = ["err", str(e)]
    out.append([fn, t, [safe, enc, err], res])
json.dump(out, sys.stdout)
`;

Deno.test({
  name:
    "quote/unquote agree with CPython 3.13 on random input (skipped without Python)",
  ignore: !havePython313(),
  async fn() {
    const fns: Record<string, (s: string, ...args: string[]) => string> = {
      quote,
      quote_plus,
      unquote,
      unquote_plus,
    };
    type Row = [string, string, string[], [string, string]];
    const rows = await pythonGenerated<Row[]>(GENERATOR, "31337");
    const failures: string[] = [];
    for (const [fn, input, args, want] of rows) {
      let got: [string, string];
      try {
        got = [
          "ok",
          (fns[fn] as (s: string, ...a: string[]) => string)(input, ...args),
        ];
      } catch (e) {
        got = ["err", (e as Error).message];
      }
      if (got[0] !== want[0] || got[1] !== want[1]) {
        failures.push(JSON.stringify({ fn, input, args, want, got }));
      }
    }
    deepEqual(failures.slice(0, 10), []);
  },
});

Deno.test("unquote: no bytes decode with any codec name, as Python's b''.decode does", () => {
  equal(unquote(new Uint8Array(0), { encoding: "bogus" }), "");
  throws(() => unquote("%41", { encoding: "bogus" }), TypeError);
});
