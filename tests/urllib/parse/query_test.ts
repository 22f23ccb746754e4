import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  BytesKeyMap,
  parse_qs,
  parse_qsl,
  quote,
  urlencode,
} from "../../../urllib/parse/mod.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("parse_qsl: pairs in order, + and %XX decoded, blanks dropped", () => {
  deepEqual(parse_qsl("a=1&b=x+y&a=%C3%A9&c=&d"), [["a", "1"], ["b", "x y"], [
    "a",
    "é",
  ]]);
  deepEqual(parse_qsl("=v&k==&&x=y=z"), [["", "v"], ["k", "="], ["x", "y=z"]]);
  deepEqual(parse_qsl(""), []);
  deepEqual(parse_qsl(null), []);
  deepEqual(parse_qsl("%zz=%"), [["%zz", "%"]]);
});

Deno.test("parse_qsl: keep_blank_values, positional or keyword, Python truthiness", () => {
  const want = [["a", "1"], ["c", ""], ["d", ""]];
  deepEqual(parse_qsl("a=1&c=&d", true), want);
  deepEqual(parse_qsl("a=1&c=&d", { keep_blank_values: true }), want);
  deepEqual(parse_qsl("a=1&c=&d", 1 as unknown as boolean), want);
  deepEqual(parse_qsl("a=1&c=&d", 0 as unknown as boolean), [["a", "1"]]);
  deepEqual(parse_qsl("a=1&&b=2", true), [["a", "1"], ["b", "2"]]);
});

Deno.test("parse_qsl: strict_parsing errors carry Python's repr", () => {
  throws(() => parse_qsl("a=1&b", { strict_parsing: true }), {
    name: "TypeError",
    message: "bad query field: 'b'",
  });
  throws(() => parse_qsl("a=1&&b=2", false, true), {
    message: "bad query field: ''",
  });
  throws(() => parse_qsl("it's", { strict_parsing: true }), {
    message: `bad query field: "it's"`,
  });
  throws(
    () => parse_qsl(new Uint8Array([0x61, 0x00]), { strict_parsing: true }),
    {
      message: "bad query field: b'a\\x00'",
    },
  );
  deepEqual(parse_qsl("a=&b=1", { strict_parsing: true }), [["b", "1"]]);
});

Deno.test("parse_qsl: max_num_fields counts separators and throws RangeError", () => {
  deepEqual(parse_qsl("a=1&b=2", { max_num_fields: 2 }), [["a", "1"], [
    "b",
    "2",
  ]]);
  throws(() => parse_qsl("a=1&b=2", { max_num_fields: 1 }), {
    name: "RangeError",
    message: "Max number of fields exceeded",
  });
  // Empty fields count too, before anything is parsed.
  throws(() => parse_qsl("a=1&&&", { max_num_fields: 3 }), RangeError);
  throws(() => parse_qsl("x", { max_num_fields: 0 }), RangeError);
  deepEqual(parse_qsl("", { max_num_fields: 0 }), []);
  throws(
    () => parse_qsl("a=1", { max_num_fields: "1" as unknown as number }),
    TypeError,
  );
});

Deno.test("parse_qsl: separators", () => {
  deepEqual(parse_qsl("a=1;b=2", { separator: ";" }), [["a", "1"], ["b", "2"]]);
  deepEqual(parse_qsl("a=1;b=2"), [["a", "1;b=2"]]);
  deepEqual(parse_qsl("a=1&&b=2&c", { separator: "&&" }), [["a", "1"], [
    "b",
    "2&c",
  ]]);
  deepEqual(parse_qsl("a=1;b=2", { separator: utf8(";") }), [["a", "1"], [
    "b",
    "2",
  ]]);
  for (const bad of ["", new Uint8Array(), null, 0, 5]) {
    throws(() => parse_qsl("a=1", { separator: bad as string }), {
      name: "TypeError",
      message: "Separator must be of type string or bytes.",
    });
  }
  throws(() => parse_qsl("a=1", { separator: new Uint8Array([0xff]) }), {
    name: "UnicodeDecodeError",
  });
  throws(() => parse_qsl(utf8("a=1"), { separator: "é" }), {
    name: "UnicodeEncodeError",
  });
});

Deno.test("parse_qsl: encoding and errors apply to str input", () => {
  deepEqual(parse_qsl("k=%E9", { encoding: "latin-1" }), [["k", "é"]]);
  deepEqual(parse_qsl("k=%FF"), [["k", "\ufffd"]]);
  deepEqual(parse_qsl("k=%FFa", { errors: "ignore" }), [["k", "a"]]);
  throws(() => parse_qsl("k=%FF", { errors: "strict" }), {
    name: "UnicodeDecodeError",
    message:
      "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
  });
  throws(() => parse_qsl("k=%41", { encoding: "bogus" }), TypeError);
});

Deno.test("parse_qsl: bytes in, bytes out; other types rejected", () => {
  const pairs = parse_qsl(utf8("a=1+2&b=%FF&c"), true);
  deepEqual(pairs.map(([k, v]) => [text(k), Array.from(v)]), [
    ["a", [0x31, 0x20, 0x32]],
    ["b", [0xff]],
    ["c", []],
  ]);
  deepEqual(parse_qsl(new Uint8Array()), []);
  deepEqual(parse_qsl(utf8("a=1;b=2"), { separator: ";" }).length, 2);
  throws(() => parse_qsl(1 as unknown as string), {
    name: "TypeError",
    message: "memoryview: a bytes-like object is required, not 'int'",
  });
  throws(() => parse_qsl([97] as unknown as string), TypeError);
});

Deno.test("parse_qs: gathers values per name", () => {
  const q = parse_qs("a=1&b=2&a=3&c=&d", { keep_blank_values: true });
  deepEqual({ ...q }, { a: ["1", "3"], b: ["2"], c: [""], d: [""] });
  deepEqual(Object.keys(q), ["a", "b", "c", "d"]);
  deepEqual({ ...parse_qs("") }, {});
});

Deno.test("parse_qs: prototype keys are plain data and nothing is polluted", () => {
  const qs =
    "__proto__=x&constructor=y&hasOwnProperty=z&toString=t&__proto__=w" +
    "&__defineGetter__=g&valueOf=v&isPrototypeOf=i&polluted=yes";
  const q = parse_qs(qs);
  equal(Object.getPrototypeOf(q), null);
  deepEqual(q["__proto__"], ["x", "w"]);
  deepEqual(q["constructor"], ["y"]);
  deepEqual(q["hasOwnProperty"], ["z"]);
  deepEqual(q["toString"], ["t"]);
  deepEqual(q["valueOf"], ["v"]);
  deepEqual(Object.keys(q), [
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "toString",
    "__defineGetter__",
    "valueOf",
    "isPrototypeOf",
    "polluted",
  ]);
  ok(Object.hasOwn(q, "__proto__"));
  // Nothing leaked onto Object.prototype or other objects.
  equal(({} as Record<string, unknown>)["polluted"], undefined);
  equal(typeof ({}).toString, "function");
  equal(typeof Object.prototype.hasOwnProperty, "function");
  // Absent names are absent, not inherited.
  equal(parse_qs("a=1")["toString"], undefined);
  equal("constructor" in parse_qs("a=1"), false);
});

Deno.test("parse_qs: bytes give a BytesKeyMap keyed by content", () => {
  const q = parse_qs(utf8("k=v&k=w&__proto__=p"));
  ok(q instanceof BytesKeyMap);
  ok(q instanceof Map);
  deepEqual(q.get(utf8("k"))?.map(text), ["v", "w"]);
  deepEqual(q.get(utf8("__proto__"))?.map(text), ["p"]);
  equal(q.get(utf8("x")), undefined);
  deepEqual([...q.keys()].map(text), ["k", "__proto__"]);
});

Deno.test("BytesKeyMap: equal bytes are one key", () => {
  const map = new BytesKeyMap<number>([[utf8("a"), 1], [utf8("a"), 2], [
    utf8("b"),
    3,
  ]]);
  equal(map.size, 2);
  equal(map.get(utf8("a")), 2);
  ok(map.has(utf8("b")));
  ok(map.delete(utf8("b")));
  equal(map.delete(utf8("b")), false);
  map.clear();
  equal(map.size, 0);
  equal(map.has(utf8("a")), false);
  throws(() => map.get("a" as unknown as Uint8Array), TypeError);
});

Deno.test("urlencode: objects, Maps and pairs", () => {
  equal(urlencode({ q: "a b", n: 1 }), "q=a+b&n=1");
  equal(
    urlencode(new Map<unknown, unknown>([[1, "x"], [true, null]])),
    "1=x&True=None",
  );
  equal(urlencode([["k", "v"], ["k", "w"]]), "k=v&k=w");
  equal(urlencode([]), "");
  equal(urlencode({}), "");
  equal(urlencode([[utf8("\xff"), new Uint8Array([0, 0x20])]]), "%C3%BF=%00+");
});

Deno.test("urlencode: non-str values go through Python's str()", () => {
  equal(
    urlencode({ t: true, f: false, n: null, u: undefined }),
    "t=True&f=False&n=None&u=None",
  );
  equal(
    urlencode({
      a: 1.5,
      b: 1e-5,
      c: 0.1,
      d: NaN,
      e: Infinity,
      f: -Infinity,
      g: 1.5e300,
    }),
    "a=1.5&b=1e-05&c=0.1&d=nan&e=inf&f=-inf&g=1.5e%2B300",
  );
  // Safe integers print as Python ints, other numbers as Python floats.
  equal(
    urlencode({ a: 1e21, b: -0, c: 12345, d: 10n, e: 2 ** 53 }),
    "a=1e%2B21&b=0&c=12345&d=10&e=9007199254740992.0",
  );
  equal(
    urlencode({ a: [1.5, null, true, utf8("x"), "é"] }),
    "a=%5B1.5%2C+None%2C+True%2C+b%27x%27%2C+%27%C3%A9%27%5D",
  );
  equal(
    urlencode({ a: { k: "v" }, s: new Set([1]) }),
    "a=%7B%27k%27%3A+%27v%27%7D&s=%7B1%7D",
  );
  equal(urlencode({ d: new Date(0) }).startsWith("d="), true);
});

Deno.test("urlencode: doseq expands sequences only", () => {
  equal(urlencode({ k: ["v", "w"] }, true), "k=v&k=w");
  equal(urlencode({ k: ["v", "w"] }, { doseq: true }), "k=v&k=w");
  equal(urlencode({ k: new Set(["v"]) }, true), "k=v");
  equal(urlencode({ k: [] }, true), "");
  equal(urlencode({ a: 1, b: "xyz", c: utf8("xy") }, true), "a=1&b=xyz&c=xy");
  equal(urlencode({ k: ["a", ["b"]] }, true), "k=a&k=%5B%27b%27%5D");
  equal(urlencode({ a: { k: "v" } }, true), "a=k");
});

Deno.test("urlencode: safe, encoding, errors and quote_via", () => {
  equal(urlencode({ k: "a b/c" }, { safe: "/" }), "k=a+b/c");
  equal(
    urlencode({ k: ["a b", "c/d"] }, true, "/", { quote_via: quote }),
    "k=a%20b&k=c/d",
  );
  equal(urlencode({ é: "é" }, { encoding: "latin-1" }), "%E9=%E9");
  equal(
    urlencode({ k: "€" }, { encoding: "latin-1", errors: "replace" }),
    "k=%3F",
  );
  throws(() => urlencode({ k: "€" }, { encoding: "ascii" }), {
    name: "UnicodeEncodeError",
    message:
      "'ascii' codec can't encode character '\\u20ac' in position 0: ordinal not in range(128)",
  });
  const calls: unknown[][] = [];
  const spy = (...args: unknown[]) => {
    calls.push(args);
    return "x";
  };
  equal(
    urlencode([[utf8("b"), "s"]], {
      quote_via: spy,
      safe: "/",
      encoding: "ascii",
    }),
    "x=x",
  );
  deepEqual(calls, [[utf8("b"), "/"], ["s", "/", "ascii", null]]);
});

Deno.test("urlencode: malformed queries are TypeErrors with Python's messages", () => {
  const notQuery = "not a valid non-string sequence or mapping object";
  for (const bad of ["foo", 1, null, [1, 2], new Date()]) {
    throws(() => urlencode(bad as never), {
      name: "TypeError",
      message: notQuery,
    });
  }
  throws(() => urlencode([["a", 1, 2]] as never), {
    message: "too many values to unpack (expected 2)",
  });
  throws(() => urlencode([["a"]] as never), {
    message: "not enough values to unpack (expected 2, got 1)",
  });
  // Any iterable of two items unpacks, as in Python: a string, bytes.
  throws(() => urlencode([["a", 1], "b"] as never), {
    message: "not enough values to unpack (expected 2, got 1)",
  });
  throws(() => urlencode([["a", 1], 5] as never), {
    message: "cannot unpack non-iterable int object",
  });
  equal(urlencode([["a", "b"], "cd"] as never), "a=b&c=d");
  equal(urlencode([["a", "b"], utf8("ab")] as never), "a=b&97=98");
  throws(() => urlencode({ a: 1 }, { quote_via: "x" as never }), TypeError);
  // An empty str or bytes has no first item to refuse: Python gives "".
  equal(urlencode("" as never), "");
  equal(urlencode(new Uint8Array() as never), "");
  throws(() => urlencode(utf8("a") as never), { message: notQuery });
});

Deno.test("urlencode and parse_qsl round-trip", () => {
  const pairs: [string, string][] = [["a b", "c&d"], ["é", "=+%"], ["", "x"], [
    "k",
    "日本",
  ]];
  deepEqual(parse_qsl(urlencode(pairs)), pairs);
});
