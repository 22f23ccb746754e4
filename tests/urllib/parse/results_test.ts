import { deepEqual, equal, throws } from "node:assert/strict";
import {
  DefragResult,
  DefragResultBytes,
  ParseResult,
  ParseResultBytes,
  SplitResult,
  SplitResultBytes,
} from "../../../urllib/parse/results.ts";
import { urldefrag, urlparse, urlsplit } from "../../../urllib/parse/split.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("results: fields, indexes, length and iteration behave like the tuple", () => {
  const r = new SplitResult("http", "h", "/p", "q", "f");
  deepEqual([r[0], r[1], r[2], r[3], r[4]], ["http", "h", "/p", "q", "f"]);
  equal(r.length, 5);
  const [scheme, netloc, path, query, fragment] = r;
  deepEqual([scheme, netloc, path, query, fragment], [
    "http",
    "h",
    "/p",
    "q",
    "f",
  ]);
  deepEqual(Array.from(r), ["http", "h", "/p", "q", "f"]);
  equal((r as unknown as Record<number, unknown>)[5], undefined);

  const p = new ParseResult("http", "h", "/p", "a", "q", "f");
  equal(p.length, 6);
  deepEqual([...p], ["http", "h", "/p", "a", "q", "f"]);
  equal(p[3], "a");

  const d = new DefragResult("u", "f");
  equal(d.length, 2);
  deepEqual([...d], ["u", "f"]);
  equal(d[1], "f");

  // The named fields are the only own enumerable properties.
  deepEqual(Object.keys(r), ["scheme", "netloc", "path", "query", "fragment"]);
  deepEqual(SplitResult._fields, [
    "scheme",
    "netloc",
    "path",
    "query",
    "fragment",
  ]);
  deepEqual(DefragResult._fields, ["url", "fragment"]);
});

Deno.test("results: _fields is on each result too, as on a Python named tuple", () => {
  // Python: urlsplit(u)._fields, dict(zip(r._fields, r))
  deepEqual(urlsplit("http://h/p")._fields, SplitResult._fields);
  deepEqual(urlparse(enc("http://h/p"))._fields, ParseResultBytes._fields);
  deepEqual(urldefrag("a#b")._fields, ["url", "fragment"]);
  const r = urlsplit("http://h/p?q");
  deepEqual(
    Object.fromEntries(r._fields.map((name, i) => [name, r[i as 0]])),
    r._asdict(),
  );
});

Deno.test("results: username and password", () => {
  const cases: [string, string | null, string | null][] = [
    ["", null, null],
    ["h", null, null],
    ["user@h", "user", null],
    ["user:@h", "user", ""],
    [":pw@h", "", "pw"],
    ["a:b:c@h", "a", "b:c"],
    ["a@b@c", "a@b", null],
    ["@", "", null],
  ];
  for (const [netloc, user, password] of cases) {
    const r = urlsplit(`//${netloc}`);
    equal(r.username, user, netloc);
    equal(r.password, password, netloc);
    equal(urlparse(`//${netloc}`).username, user);
  }
});

Deno.test("results: hostname is lower-cased except an IPv6 zone id", () => {
  const cases: [string, string | null][] = [
    ["", null],
    ["h", "h"],
    ["U:P@WWW.Example.COM:8080", "www.example.com"],
    ["[FE80::1%tESt]:1234", "fe80::1%tESt"],
    ["[::1]", "::1"],
    ["[v1.ABC]", "v1.abc"],
    [":", null],
    ["u@:80", null],
    ["a@b@C", "c"],
  ];
  for (const [netloc, host] of cases) {
    equal(urlsplit(`//${netloc}`).hostname, host, netloc);
  }
  equal(new SplitResult("", "\u00c9X", "", "", "").hostname, "\u00e9x");
  // Letters cased only since Unicode 16 stay as they are, as in Python 3.13
  // (whose database is Unicode 15.1); final sigma follows Python too.
  for (const ch of ["\u1c89", "\ua7cb", "\ua7dc", "\u{10d50}", "\u{10d65}"]) {
    equal(urlsplit(`//A${ch}B`).hostname, `a${ch}b`);
  }
  equal(urlsplit("//\u0391\u03a3").hostname, "\u03b1\u03c2");
  equal(urlsplit("//\u0391\u03a3\u1c89").hostname, "\u03b1\u03c2\u1c89");
  equal(urlsplit("//\u1c89\u03a3").hostname, "\u1c89\u03c3");
  equal(urlsplit("//\u0130").hostname, "i\u0307");
});

Deno.test("results: port", () => {
  const numbers: [string, number | null][] = [
    ["h", null],
    ["h:", null],
    ["[::1]", null],
    ["h:0", 0],
    ["h:0080", 80],
    ["h:65535", 65535],
    ["[::1]:443", 443],
    ["u:p@h:8080", 8080],
  ];
  for (const [netloc, port] of numbers) {
    equal(urlsplit(`//${netloc}`).port, port, netloc);
  }
  for (
    const bad of ["-1", "\uff18\uff10", "a", "80:90", " 80", "1e3", "0x50"]
  ) {
    throws(() => urlsplit(`//h:${bad}`).port, {
      name: "TypeError",
      message: `Port could not be cast to integer value as '${bad}'`,
    });
  }
  throws(() => urlsplit("//[::1]:x").port, TypeError);
  for (const big of ["65536", "99999999999999999999999"]) {
    throws(() => urlsplit(`//h:${big}`).port, {
      name: "RangeError",
      message: "Port out of range 0-65535",
    });
  }
  throws(() => urlsplit(enc("//H:8a")).port, {
    name: "TypeError",
    message: "Port could not be cast to integer value as b'8a'",
  });
});

Deno.test("results: geturl reassembles", () => {
  equal(urlsplit("HTTP://h/p?#").geturl(), "http://h/p");
  equal(urlparse("http://h/p;a?q#f").geturl(), "http://h/p;a?q#f");
  equal(new DefragResult("u", "").geturl(), "u");
  equal(new DefragResult("u", "f").geturl(), "u#f");
  deepEqual(urlsplit(enc("http://h/p?q")).geturl(), enc("http://h/p?q"));
  deepEqual(urlparse(enc("http://h/p;a")).geturl(), enc("http://h/p;a"));
  deepEqual(urldefrag(enc("u#f")).geturl(), enc("u#f"));
  deepEqual(new DefragResultBytes(enc("u"), enc("")).geturl(), enc("u"));
  // Bytes beyond ASCII: urlunsplit and urlunparse refuse them, so geturl does;
  // a defragmented URL's bytes are joined as they are.
  const latin1 = new Uint8Array([0x2f, 0xe4]);
  const split = new SplitResultBytes(
    enc(""),
    enc(""),
    latin1,
    enc(""),
    enc(""),
  );
  throws(() => split.geturl(), { name: "UnicodeDecodeError" });
  throws(() => urlparse(latin1).geturl(), { name: "UnicodeDecodeError" });
  deepEqual(
    new DefragResultBytes(latin1, enc("f")).geturl(),
    new Uint8Array([0x2f, 0xe4, 0x23, 0x66]),
  );
});

Deno.test("results: _replace, _make and _asdict", () => {
  const r = urlsplit("http://h/p");
  const s = r._replace({ netloc: "x", query: "q" });
  deepEqual([...s], ["http", "x", "/p", "q", ""]);
  deepEqual([...r], ["http", "h", "/p", "", ""]);
  equal(s instanceof SplitResult, true);
  throws(() => r._replace({ x: 1 } as never), {
    name: "TypeError",
    message: "Got unexpected field names: ['x']",
  });
  equal(
    urlparse("http://h/")._replace({ params: "a" }).geturl(),
    "http://h/;a",
  );
  equal(urldefrag("u#f")._replace({ url: "v" }).geturl(), "v#f");
  deepEqual(
    [...urlsplit(enc("http://h/"))._replace({ path: enc("/x") })],
    ["http", "h", "/x", "", ""].map(enc),
  );
  deepEqual([...SplitResult._make(["a", "b", "c", "d", "e"])], [
    "a",
    "b",
    "c",
    "d",
    "e",
  ]);
  // Python's namedtuple message, the class unnamed.
  throws(() => ParseResult._make(["a"]), {
    name: "TypeError",
    message: "Expected 6 arguments, got 1",
  });
  deepEqual(r._asdict(), {
    scheme: "http",
    netloc: "h",
    path: "/p",
    query: "",
    fragment: "",
  });
});

Deno.test("results: encode and decode between the str and bytes twins", () => {
  const r = urlparse("http://u@h:1/p;a?q#f");
  const b = r.encode();
  equal(b instanceof ParseResultBytes, true);
  deepEqual([...b], [...r].map(enc));
  deepEqual([...b.decode()], [...r]);
  equal(b.decode() instanceof ParseResult, true);
  deepEqual(b.username, enc("u"));
  equal(b.password, null);
  equal(b.port, 1);

  const s = urlsplit("http://h/\u00e9");
  throws(() => s.encode(), TypeError);
  deepEqual(s.encode("utf-8").path, enc("/\u00e9"));
  deepEqual(
    s.encode({ encoding: "latin-1" }).path,
    new Uint8Array([0x2f, 0xe9]),
  );
  equal(s.encode("utf-8").decode("utf-8").path, "/\u00e9");
  throws(() => s.encode("utf-8").decode(), TypeError);
  equal(
    new SplitResultBytes(enc(""), enc(""), enc("/\u00e9"), enc(""), enc(""))
      .decode({ encoding: "utf-8" }).path,
    "/\u00e9",
  );
  throws(() => s.encode("no-such-codec"), TypeError);

  const d = urldefrag("u#f").encode();
  equal(d instanceof DefragResultBytes, true);
  deepEqual([...d.decode()], ["u", "f"]);
});

Deno.test("results: bytes twins' netloc properties", () => {
  const r = urlsplit(enc("//U:P@[FE80::1%tESt]:1"));
  deepEqual(r.hostname, enc("fe80::1%tESt"));
  deepEqual(r.username, enc("U"));
  deepEqual(r.password, enc("P"));
  equal(r.port, 1);
  equal(urlsplit(enc("/p")).hostname, null);
  equal(urlsplit(enc("/p")).username, null);
});

Deno.test("results: repr like Python's", () => {
  equal(
    String(urlsplit("http://h/p?q#f")),
    "SplitResult(scheme='http', netloc='h', path='/p', query='q', fragment='f')",
  );
  equal(
    String(urlsplit(enc("http://h/\x00"))),
    "SplitResultBytes(scheme=b'http', netloc=b'h', path=b'/\\x00', query=b'', fragment=b'')",
  );
  equal(
    String(urlsplit("http://h/it's")),
    `SplitResult(scheme='http', netloc='h', path="/it's", query='', fragment='')`,
  );
  equal(
    String(urlsplit("http://h/\u00e9\u200b\u{1f600}\\")),
    "SplitResult(scheme='http', netloc='h', path='/\u00e9\\u200b\u{1f600}\\\\', query='', fragment='')",
  );
  equal(Deno.inspect(urldefrag("a#b")), "DefragResult(url='a', fragment='b')");
  // Code points unassigned in Unicode 15.1 are escaped, as Python 3.13 does.
  equal(
    String(new DefragResult("\u1c89\u0416", "")),
    "DefragResult(url='\\u1c89\u0416', fragment='')",
  );
  throws(() => urlsplit("//h:\u{1e5d0}").port, {
    message: "Port could not be cast to integer value as '\\U0001e5d0'",
  });
  equal(
    `${urlparse("x")}`,
    "ParseResult(scheme='', netloc='', path='x', params='', query='', fragment='')",
  );
});

Deno.test("results: encode() and decode() refuse a null encoding or errors as Python does; no bytes decode with any codec name", () => {
  const r = urlsplit("http://h/");
  throws(() => r.encode(null as unknown as string), {
    name: "TypeError",
    message: "encode() argument 'encoding' must be str, not None",
  });
  throws(() => r.encode("utf-8", null as unknown as string), {
    name: "TypeError",
    message: "encode() argument 'errors' must be str, not None",
  });
  throws(() => urlsplit(enc("http://h/")).decode(null as unknown as string), {
    name: "TypeError",
    message: "decode() argument 'encoding' must be str, not None",
  });
  // Python's b"".decode("bogus") is "" (the codec is never looked up).
  deepEqual([...urlsplit(enc("")).decode("bogus")], ["", "", "", "", ""]);
  deepEqual([...urldefrag(enc("")).decode("bogus")], ["", ""]);
});

Deno.test("results: built with fields missing, or str and bytes mixed by _replace, are Python's TypeErrors (CPython 3.13's messages)", () => {
  const build = (ctor: unknown, ...fields: string[]) => () =>
    new (ctor as new (...args: string[]) => unknown)(...fields);
  throws(build(SplitResult, "a", "b"), {
    name: "TypeError",
    message:
      "SplitResult.__new__() missing 3 required positional arguments: 'path', 'query', and 'fragment'",
  });
  throws(build(ParseResultBytes, "a", "b", "c", "d", "e"), {
    message:
      "ParseResultBytes.__new__() missing 1 required positional argument: 'fragment'",
  });
  throws(build(DefragResult, "a"), {
    message:
      "DefragResult.__new__() missing 1 required positional argument: 'fragment'",
  });
  const mixed = { name: "TypeError", message: /^Cannot mix str and non-str/ };
  const asText = { scheme: "x" } as never;
  throws(() => urlparse(enc("//h/p"))._replace(asText).geturl(), mixed);
  throws(() => urlsplit(enc("http://h/"))._replace(asText).geturl(), mixed);
  throws(
    () => urldefrag(enc("a#b"))._replace({ fragment: "p" } as never).geturl(),
    mixed,
  );
  throws(
    () => urlsplit("http://h/")._replace({ path: enc("/a") } as never).geturl(),
    mixed,
  );
  // Empty values of the other type are let through (documented).
  equal(
    urlsplit("http://h/")._replace({ path: enc("") } as never).geturl(),
    "http://h",
  );
});
