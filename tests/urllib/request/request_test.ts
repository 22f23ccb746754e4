import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Request, request_host } from "../../../urllib/request/mod.ts";
import { HTTPMessage } from "../../../_util/http_message.ts";
import { havePython313, pythonJson } from "../../_python.ts";
import { type Pick, randomSource, testSeed } from "../../_random.ts";

const enc = new TextEncoder();

Deno.test("Request splits the URL as Python does", () => {
  const req = new Request(
    "  <URL:http://user@Example.COM:8080/p%20q;x?y=1#frag>  ",
  );
  equal(req.type, "http");
  equal(req.host, "user@Example.COM:8080");
  equal(req.selector, "/p%20q;x?y=1");
  equal(req.fragment, "frag");
  equal(req.full_url, "http://user@Example.COM:8080/p%20q;x?y=1#frag");
  equal(req.get_full_url(), req.full_url);
  equal(req.origin_req_host, "user@example.com");
  equal(request_host(req), "user@example.com");
  // Python's lower() (Unicode 15.1): U+1C89 has no lower case there.
  equal(request_host(new Request("http://\u1c89X.test/")), "\u1c89x.test");
  equal(new Request("HTTP://h").type, "http");
  // U+A7CB has no lower case in Python's Unicode 15.1.
  const newer = new Request("\ua7cb://h/");
  deepEqual([newer.type, newer.full_url], ["\ua7cb", "\ua7cb://h/"]);
  equal(new Request("http://h%2Fx/").host, "h/x");
  equal(new Request("http://h?q").selector, "/?q");
  // An empty fragment is dropped from full_url; no host is null (Python's None).
  const bare = new Request("http://h.test/#");
  deepEqual([bare.full_url, bare.fragment], ["http://h.test/", ""]);
  equal(new Request("data:,abc").host, null);
  equal(new Request("file:///etc/hosts").host, "");
});

Deno.test("the URL is stripped of Python's whitespace, the Host's port cut as Python's regex cuts it", () => {
  // U+001C is whitespace to Python's str.strip(), U+FEFF is not.
  equal(new Request("\x1chttp://h/").type, "http");
  const bom = new Request("\ufeffhttp://h/");
  equal(bom.type, "\ufeffhttp");
  equal(bom.origin_req_host, "");
  equal(new Request(" <URL: http://h/x > ").full_url, "http://h/x");
  // Python's `$` matches before a final newline too.
  equal(
    new Request("data:,x", { headers: { Host: "h:80\n" } }).origin_req_host,
    "h\n",
  );
});

Deno.test("full_url is settable and re-parses", () => {
  const req = new Request("http://a.test/one");
  req.full_url = "https://b.test/two#top";
  deepEqual([req.type, req.host, req.selector, req.fragment], [
    "https",
    "b.test",
    "/two",
    "top",
  ]);
  throws(() => (req.full_url = "nothing"), TypeError);
});

Deno.test("get_method: GET, POST with data, or the given method", () => {
  equal(new Request("http://h/").get_method(), "GET");
  equal(new Request("http://h/", enc.encode("x")).get_method(), "POST");
  equal(new Request("http://h/", { method: "DELETE" }).get_method(), "DELETE");
  equal(
    new Request("http://h/", null, {}, null, false, "PATCH").get_method(),
    "PATCH",
  );
});

Deno.test("get_method: a subclass's method is its requests' default, as Python's class attribute", () => {
  class Patch extends Request {}
  Patch.method = "PATCH";
  equal(new Patch("http://h/").get_method(), "PATCH");
  equal(new Patch("http://h/", enc.encode("x")).get_method(), "PATCH");
  // The method given still wins; Request itself keeps Python's default.
  equal(new Patch("http://h/", { method: "GET" }).get_method(), "GET");
  equal(new Request("http://h/").get_method(), "GET");
  equal(Request.method, null);
});

Deno.test("headers use str.capitalize() names; unredirected ones are separate", () => {
  const req = new Request("http://h/", {
    headers: { "content-TYPE": "a/b", "X-Forwarded-For": "1" },
  });
  deepEqual(Object.keys(req.headers), ["Content-type", "X-forwarded-for"]);
  ok(req.has_header("Content-type"));
  ok(!req.has_header("Content-Type"));
  req.add_unredirected_header("x-only-here", "1");
  req.add_unredirected_header("Content-type", "ignored/by-header_items");
  equal(req.get_header("X-only-here"), "1");
  equal(req.get_header("Missing", "dflt"), "dflt");
  equal(req.get_header("Missing", { default: "kw" }), "kw");
  equal(req.get_header("X-only-here", { default: "kw" }), "1");
  // Python's order: unredirected names first, values from headers win.
  deepEqual(req.header_items(), [
    ["X-only-here", "1"],
    ["Content-type", "a/b"],
    ["X-forwarded-for", "1"],
  ]);
  req.remove_header("Content-type");
  ok(!req.has_header("Content-type"));
});

Deno.test("setting new data drops a stale Content-length", () => {
  const req = new Request("http://h/", enc.encode("abc"));
  req.add_unredirected_header("Content-length", "3");
  const same = req.data;
  req.data = same;
  ok(req.has_header("Content-length"));
  req.data = enc.encode("abcdef");
  ok(!req.has_header("Content-length"));
});

Deno.test("set_proxy: plain HTTP rewrites the selector, HTTPS keeps a tunnel host", () => {
  const http = new Request("http://site.test/p?q");
  http.set_proxy("proxy.test:3128", "http");
  deepEqual([http.host, http.type, http.selector, http.has_proxy()], [
    "proxy.test:3128",
    "http",
    "http://site.test/p?q",
    true,
  ]);
  const https = new Request("https://site.test/p");
  https.set_proxy("proxy.test:3128", "http");
  deepEqual([
    https.host,
    https.type,
    https.selector,
    https._tunnel_host,
    https.has_proxy(),
  ], [
    "proxy.test:3128",
    "https",
    "/p",
    "site.test",
    false,
  ]);
});

Deno.test("keyword and positional options mix as in Python, bad keywords are TypeError", () => {
  const req = new Request("http://h/", enc.encode("x"), { A: "1" }, {
    unverifiable: true,
  });
  ok(req.unverifiable);
  equal(req.get_header("A"), "1");
  // Python's Request(url, data, method="PUT"): after the data, an object
  // whose names are all keywords is the keywords, not headers.
  const put = new Request("http://h/", enc.encode("x"), { method: "PUT" });
  equal(put.get_method(), "PUT");
  deepEqual(put.header_items(), []);
  const keyed = new Request("http://h/", enc.encode("x"), {
    headers: { "X-Token": "t" },
    unverifiable: true,
  });
  deepEqual(keyed.header_items(), [["X-token", "t"]]);
  ok(keyed.unverifiable);
  // Any mapping is headers, as Python takes anything with items(); a list
  // of pairs is Python's AttributeError.
  for (
    const mapping of [
      new Map([["x-a", "1"]]),
      new Headers({ "x-a": "1" }),
      new HTTPMessage([["X-A", "1"]]),
    ]
  ) {
    equal(new Request("http://h/", null, mapping).get_header("X-a"), "1");
  }
  throws(
    () =>
      new Request("http://h/", {
        headers: [["X-a", "1"]] as unknown as Record<string, string>,
      }),
    new TypeError("'list' object has no attribute 'items'"),
  );
  throws(
    () =>
      new Request("http://h/", null, 5 as unknown as Record<string, string>),
    new TypeError("'int' object has no attribute 'items'"),
  );
  throws(
    () =>
      new Request("http://h/", null, null as unknown as Record<string, string>),
    new TypeError("'NoneType' object has no attribute 'items'"),
  );
  // Any other name makes it the headers, as README's table shows.
  equal(
    new Request("http://h/", enc.encode("x"), { "User-Agent": "ua" })
      .get_header("User-agent"),
    "ua",
  );
  throws(
    () =>
      new Request(
        "http://h/",
        { bogus: 1 } as unknown as Record<string, string>,
      ),
    /unexpected keyword argument 'bogus'/,
  );
});

Deno.test("data equal to the old bytes keeps Content-length (Python compares with ==)", () => {
  const req = new Request("http://h/", enc.encode("ab"));
  req.add_unredirected_header("Content-length", "2");
  req.data = enc.encode("ab");
  equal(req.get_header("Content-length"), "2");
  req.data = enc.encode("abc");
  equal(req.has_header("Content-length"), false);
});

Deno.test("an equal list of chunks keeps Content-length (Python's list ==)", () => {
  // Python: [b"ab", b"c"] == [b"ab", b"c"], so `req.data = [...]` again
  // leaves Content-length alone; a different list drops it.
  const req = new Request("http://h/", [enc.encode("ab"), enc.encode("c")]);
  req.add_header("Content-length", "3");
  req.data = [enc.encode("ab"), enc.encode("c")];
  equal(req.get_header("Content-length"), "3");
  req.data = [enc.encode("ab"), enc.encode("d")];
  equal(req.has_header("Content-length"), false);
  req.add_header("Content-length", "3");
  req.data = [enc.encode("ab")];
  equal(req.has_header("Content-length"), false);
});

const URLS = [
  "http://example.com/a?b=c#frag",
  "HTTP://EXAMPLE.COM:8080/",
  "https://user:pw@h.test/p;x?q#",
  "http://h.test",
  "http://h.test/#",
  "http://h.test?x",
  "http://[::1]:80/x",
  "http://h.test/a b",
  "http://h.test/\u00e9",
  "http://h%2Fx/",
  "ftp://f.test/file",
  "file:///etc/hosts",
  "data:,abc",
  "mailto:a@b.test",
  "unknown:thing",
  "<URL:http://wrapped.test/>",
];
const NAMES = [
  "content-type",
  "Content-Type",
  "CONTENT-TYPE",
  "Content-length",
  "X-a",
  "x-A-b",
  "user-agent",
  "Host",
  "x-\u00e9a",
];
const VALUES = ["v", "", "a b", "text/plain", "\u00e9"];

/**
 * One random sequence of operations on a Request. Two are left out, each a
 * documented difference: setting `method` to null (Python's `get_method()`
 * then returns `None`) and a `full_url` that cannot be parsed.
 */
function randomOperations(pick: Pick) {
  const ops: [string, string | null, string?][] = [];
  for (let n = pick([0, 2, 4, 6, 8]); n > 0; n--) {
    const op = pick([
      "add_header",
      "add_unredirected_header",
      "remove_header",
      "full_url",
      "data",
      "method",
      "get",
    ]);
    if (op === "add_header" || op === "add_unredirected_header") {
      ops.push([op, pick(NAMES), pick(VALUES)]);
    } else if (op === "full_url") ops.push([op, pick(URLS)]);
    else if (op === "data") ops.push([op, pick([null, "abc", ""])]);
    else if (op === "method") ops.push([op, pick(["PUT", "get", "HEAD"])]);
    else ops.push([op, pick(NAMES)]);
  }
  return {
    url: pick(URLS),
    headers: Object.fromEntries(
      Array.from({ length: pick([0, 1, 2]) }, () => [
        pick(NAMES),
        pick(VALUES),
      ]),
    ),
    method: pick([null, null, "POST", "HEAD"]),
    data: pick([null, null, "x=1"]),
    ops,
  };
}

const PY_REQUEST_OPS = `
import json, sys
from urllib.request import Request

def state(r):
    return [r.full_url, r.type, r.host, r.selector, r.fragment, r.get_method(),
            sorted(r.header_items()), r.origin_req_host,
            None if r.data is None else r.data.decode()]

out = []
for c in json.load(sys.stdin):
    data = None if c["data"] is None else c["data"].encode()
    r = Request(c["url"], data=data, headers=c["headers"], method=c["method"])
    log = [state(r)]
    for op, a, *b in c["ops"]:
        if op in ("add_header", "add_unredirected_header"): getattr(r, op)(a, b[0])
        elif op == "remove_header": r.remove_header(a)
        elif op == "full_url": r.full_url = a
        elif op == "data": r.data = None if a is None else a.encode()
        elif op == "method": r.method = a
        else: log.append([r.get_header(a), r.has_header(a), r.get_header(a, "dflt")])
        log.append(state(r))
    out.append(log)
print(json.dumps(out))
`;

Deno.test({
  name: "Request agrees with CPython 3.13 on random sequences of operations",
  ignore: !havePython313(),
  async fn() {
    const pick = randomSource(testSeed(20261130));
    const cases = Array.from({ length: 300 }, () => randomOperations(pick));
    const python = await pythonJson<unknown[][]>(PY_REQUEST_OPS, {
      input: cases,
    });
    const bytes = (text: string | null) =>
      text === null ? null : enc.encode(text);
    const state = (r: Request) => [
      r.full_url,
      r.type,
      r.host,
      r.selector,
      r.fragment,
      r.get_method(),
      r.header_items().map(([k, v]) => [k, v]).sort((a, b) =>
        a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : 1
      ),
      r.origin_req_host,
      r.data === null ? null : new TextDecoder().decode(r.data as Uint8Array),
    ];
    for (const [i, c] of cases.entries()) {
      const r = new Request(c.url, {
        data: bytes(c.data),
        headers: c.headers,
        method: c.method,
      });
      const log: unknown[] = [state(r)];
      for (const [op, a, b] of c.ops) {
        if (op === "add_header") r.add_header(a!, b!);
        else if (op === "add_unredirected_header") {
          r.add_unredirected_header(a!, b!);
        } else if (op === "remove_header") r.remove_header(a!);
        else if (op === "full_url") r.full_url = a!;
        else if (op === "data") r.data = bytes(a);
        else if (op === "method") r.method = a;
        else {log.push([
            r.get_header(a!),
            r.has_header(a!),
            r.get_header(a!, "dflt"),
          ]);}
        log.push(state(r));
      }
      deepEqual(log, python[i], JSON.stringify(c));
    }
  },
});

Deno.test("header names are capitalised as Python's str.capitalize(): a final sigma stays final, a character beyond U+FFFF is one character, Unicode 15.1's cases", () => {
  const names = (key: string) =>
    new Request("http://h/", { headers: { [key]: "v" } }).header_items()[0]
      ?.[0];
  equal(names("ΑΣ"), "Ας");
  equal(names("Α.Σ"), "Α.ς");
  equal(names("ΣΑ"), "Σα");
  equal(names("\u{10428}b"), "\u{10400}b");
  equal(names("content-TYPE"), "Content-type");
  // The first character is title-cased, which is not always upper-cased.
  equal(names("\u00dfa"), "Ssa");
  equal(names("\u01c6X"), "\u01c5x");
  equal(names("\ufb01x"), "Fix");
  // U+019B and U+0264 have no upper case in Python's Unicode 15.1.
  equal(names("\u019bX"), "\u019bx");
  equal(names("\u0264"), "\u0264");
});
