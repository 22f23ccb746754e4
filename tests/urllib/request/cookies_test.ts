/**
 * CookieJar and HTTPCookieProcessor: the jar's Python-shaped API, then
 * sessions against real local servers (cookies across requests, a login
 * flow with redirects, logout), then a differential run against CPython.
 */
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { Cookie, CookieJar } from "../../../urllib/request/cookiejar.ts";
import {
  FileCookieJar,
  LoadError,
  MozillaCookieJar,
} from "../../../urllib/request/file_cookiejar.ts";
import { HTTPCookieProcessor } from "../../../urllib/request/cookie_processor.ts";
import { HTTPSHandler } from "../../../urllib/request/http_handler.ts";
import { build_opener } from "../../../urllib/request/opener.ts";
import { Request } from "../../../urllib/request/request.ts";
import { create_default_context } from "../../../urllib/request/ssl_context.ts";
import { haveOpenssl, makeCerts } from "../../_tls.ts";
import { withServer } from "./_site.ts";
import { response } from "./_cookie_response.ts";
import { havePython313, pythonJson } from "../../_python.ts";

function cookieHeader(jar: CookieJar, url: string): string | null {
  const req = new Request(url);
  jar.add_cookie_header(req);
  return req.get_header("Cookie");
}

Deno.test("CookieJar stores what a response sets and sends it back where it applies", () => {
  const jar = new CookieJar();
  const req = new Request("http://www.example.com:8080/a/b/c?x=1");
  jar.extract_cookies(
    response(
      "a=1; HttpOnly; SameSite=Lax",
      "c=3; Domain=example.com; Max-Age=100",
      "d",
      'e="q q"; Path=/a/b/',
      "g=; Path=/",
    ),
    req,
  );
  equal(jar.length, 5);
  deepEqual([...jar].map((c) => [c.name, c.value, c.domain, c.path]), [
    ["a", "1", "www.example.com", "/a/b"],
    ["d", null, "www.example.com", "/a/b"],
    ["e", '"q q"', "www.example.com", "/a/b/"],
    ["g", "", "www.example.com", "/"],
    ["c", "3", ".example.com", "/a/b"],
  ]);
  const [a] = jar;
  deepEqual(a?.rest, { HttpOnly: null, SameSite: "Lax" });
  equal(a?.has_nonstandard_attr("HttpOnly"), true);
  equal(a?.has_nonstandard_attr("httponly"), false);
  equal(a?.get_nonstandard_attr("SameSite"), "Lax");
  equal(a?.get_nonstandard_attr("samesite", "none"), "none");
  const c = [...jar].find((x) => x.name === "c")!;
  ok(c.domain_specified && !c.domain_initial_dot && !c.discard);
  ok(c.expires !== null && Math.abs(c.expires - (Date.now() / 1000 + 100)) < 5);

  // Cookies go back longest path first (ties in the jar's order, as in
  // Python), only where domain and path match.
  equal(
    cookieHeader(jar, "http://www.example.com/a/b/c"),
    'e="q q"; a=1; d; c=3; g=',
  );
  equal(cookieHeader(jar, "http://www.example.com/a"), "g=");
  equal(cookieHeader(jar, "http://other.example.com/a/b/"), "c=3");
  equal(cookieHeader(jar, "http://example.org/"), null);
});

Deno.test("CookieJar: paths are escaped as Python's escape_path escapes them, on both sides (CPython 3.13's answers)", () => {
  const jar = new CookieJar();
  jar.extract_cookies(
    response(
      "a=1; Path=/docs/{v2}",
      "b=2; Path=/my docs",
      "c=3; Path=/caf%c3%a9",
      "d=4; path=/x|y",
      "e=5; Path=/é",
      "f=6; Path = /sp ",
    ),
    new Request("http://example.com/"),
  );
  deepEqual([...jar].map((c) => [c.name, c.path]).sort(), [
    ["a", "/docs/%7Bv2%7D"],
    ["b", "/my%20docs"],
    ["c", "/caf%C3%A9"],
    ["d", "/x%7Cy"],
    ["e", "/%C3%A9"],
    ["f", "/sp"],
  ]);
  for (
    const [url, sent] of [
      ["http://example.com/docs/{v2}/x", "a=1"],
      ["http://example.com/docs/%7Bv2%7D/x", "a=1"],
      ["http://example.com/my%20docs/x", "b=2"],
      ["http://example.com/caf%C3%A9/", "c=3"],
      ["http://example.com/café/", "c=3"],
      ["http://example.com/x|y", "d=4"],
      ["http://example.com/x%7cy", "d=4"],
      ["http://example.com/é", "e=5"],
      ["http://example.com/sp", "f=6"],
    ]
  ) equal(cookieHeader(jar, url!), sent, url);
  // The default path is the request's folder, escaped the same way.
  const folder = new CookieJar();
  folder.extract_cookies(
    response("g=7", "h=8; Path="),
    new Request("http://example.com/my docs/x|y/caf%c3%a9/page"),
  );
  deepEqual([...folder].map((c) => c.path), [
    "/my%20docs/x%7Cy/caf%C3%A9",
    "/my%20docs/x%7Cy/caf%C3%A9",
  ]);
  equal(
    cookieHeader(folder, "http://example.com/my%20docs/x%7Cy/caf%C3%A9/z"),
    "g=7; h=8",
  );
});

Deno.test("CookieJar: escaped paths, a host's final dot, ties in jar order", () => {
  let jar = new CookieJar();
  const cafe = "http://h.example.com/caf%C3%A9";
  jar.extract_cookies(
    response("a=1; Path=/caf%C3%A9", "b=1"),
    new Request(`${cafe}/x`),
  );
  deepEqual([...jar].map((c) => c.path), ["/caf%C3%A9", "/caf%C3%A9"]);
  equal(cookieHeader(jar, `${cafe}/y`), "a=1; b=1");
  // A malformed escape in a later URL still gets the cookies for "/".
  jar.extract_cookies(response("c=1; Path=/"), new Request(`${cafe}/x`));
  equal(cookieHeader(jar, "http://h.example.com/%E0%A4%A/x"), "c=1");

  jar = new CookieJar();
  jar.extract_cookies(response("a=1"), new Request("http://www.example.com./"));
  equal(cookieHeader(jar, "http://www.example.com./"), "a=1");

  // Equal path lengths: the jar's order (domain group, then path, then
  // name), not the order the cookies were set.
  jar = new CookieJar();
  const www = new Request("http://www.example.com/");
  jar.extract_cookies(response("b=1; Domain=example.com", "a=1"), www);
  jar.extract_cookies(response("c=1; Domain=example.com"), www);
  equal(cookieHeader(jar, "http://www.example.com/"), "b=1; c=1; a=1");
});

Deno.test("CookieJar: request headers already set are kept; the header is unredirected", () => {
  const jar = new CookieJar();
  jar.extract_cookies(response("sid=1"), new Request("http://h.test/"));
  const own = new Request("http://h.test/", { headers: { Cookie: "mine=1" } });
  jar.add_cookie_header(own);
  equal(own.get_header("Cookie"), "mine=1");
  const fresh = new Request("http://h.test/");
  jar.add_cookie_header(fresh);
  deepEqual(fresh.unredirected_hdrs, { Cookie: "sid=1" });
  deepEqual(fresh.headers, {});
});

Deno.test("CookieJar: Secure cookies need https; expired cookies delete", () => {
  const jar = new CookieJar();
  jar.extract_cookies(
    response("s=1; Secure; Path=/"),
    new Request("https://h.test/"),
  );
  equal(cookieHeader(jar, "http://h.test/"), null);
  equal(cookieHeader(jar, "https://h.test/"), "s=1");
  // Deliberately stricter than Python (RFC 6265bis): plain http cannot set Secure cookies.
  jar.extract_cookies(response("t=1; Secure"), new Request("http://h.test/"));
  equal(jar.length, 1);

  jar.extract_cookies(response("k=v; Path=/"), new Request("http://h.test/"));
  equal(jar.length, 2);
  jar.extract_cookies(
    response("k=gone; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT"),
    new Request("http://h.test/"),
  );
  deepEqual([...jar].map((c) => c.name), ["s"]);
  jar.extract_cookies(
    response("m=1; Max-Age=0"),
    new Request("http://h.test/"),
  );
  equal(jar.length, 1);
});

Deno.test("CookieJar: domain rules (public suffixes, foreign domains, host-only)", () => {
  const jar = new CookieJar();
  const req = new Request("http://www.example.co.uk/");
  jar.extract_cookies(
    response(
      "a=1; Domain=co.uk",
      "b=2; Domain=other.test",
      "c=3; Domain=.example.co.uk",
      "d=4",
    ),
    req,
  );
  deepEqual([...jar].map((c) => [c.name, c.domain, c.domain_initial_dot]), [
    ["c", ".example.co.uk", true],
    ["d", "www.example.co.uk", false],
  ]);
  equal(cookieHeader(jar, "http://shop.example.co.uk/"), "c=3");
  equal(cookieHeader(jar, "http://www.example.co.uk/"), "c=3; d=4");
});

Deno.test("CookieJar: clear, clear_session_cookies, set_cookie, make_cookies, str and repr", () => {
  const jar = new CookieJar();
  const req = new Request("http://h.test/p/q");
  jar.extract_cookies(
    response(
      "a=1; Path=/",
      "b=2; Path=/p",
      "c=3; Path=/p; Max-Age=3600",
      "d=4; Domain=h.test; Path=/",
    ),
    req,
  );
  equal(jar.length, 4);
  equal(
    String(jar),
    "<CookieJar[<Cookie a=1 for h.test/>, <Cookie b=2 for h.test/p>, " +
      "<Cookie c=3 for h.test/p>, <Cookie d=4 for .h.test/>]>",
  );
  ok(
    jar.repr().startsWith(
      "<CookieJar[Cookie(version=0, name='a', value='1', port=None,",
    ),
  );

  throws(() => jar.clear(null, "/p"), TypeError);
  throws(() => jar.clear("h.test", null, "a"), TypeError);
  throws(() => jar.clear("nowhere.test"), RangeError);
  throws(() => jar.clear("h.test", "/p", "zzz"), RangeError);
  jar.clear("h.test", "/p", "b");
  deepEqual([...jar].map((c) => c.name), ["a", "c", "d"]);
  jar.clear(".h.test");
  deepEqual([...jar].map((c) => c.name), ["a", "c"]);
  jar.clear_session_cookies();
  deepEqual([...jar].map((c) => c.name), ["c"]);
  jar.clear({ domain: "h.test", path: "/p" });
  equal(jar.length, 0);

  jar.set_cookie(
    new Cookie({
      name: "made",
      value: "by hand",
      domain: ".h.test",
      path: "/",
      secure: false,
    }),
  );
  equal(cookieHeader(jar, "http://sub.h.test/x"), "made=by hand");
  jar.clear();
  equal(jar.length, 0);

  const made = jar.make_cookies(
    response("x=1; Path=/", "bad=1; Domain=elsewhere.test"),
    req,
  );
  deepEqual(made.map((c) => c.name), ["x"]);
  equal(jar.length, 0);

  // A replaced cookie keeps its place, as in Python's dict-based jar.
  const order = new CookieJar();
  for (const v of ["a=1", "b=2", "a=3"]) {
    order.extract_cookies(response(v), req);
  }
  deepEqual([...order].map((x) => `${x.name}=${x.value}`), ["a=3", "b=2"]);

  const c = new Cookie({
    name: "n",
    value: "v",
    domain: "h.test",
    expires: 10,
  });
  ok(c.is_expired() && !c.is_expired(5) && !c.discard);
  equal(String(c), "<Cookie n=v for h.test/>");
  equal(
    c.repr(),
    "Cookie(version=0, name='n', value='v', port=None, port_specified=False, domain='h.test', " +
      "domain_specified=False, domain_initial_dot=False, path='/', path_specified=False, " +
      "secure=False, expires=10, discard=False, comment=None, comment_url=None, rest={}, rfc2109=False)",
  );
});

// ---------------------------------------------------------------------------
// Sessions against real local servers.

async function fetchText(
  opener: ReturnType<typeof build_opener>,
  url: string | Request,
): Promise<string> {
  const resp = await opener.open(url, { timeout: 5 });
  try {
    return new TextDecoder().decode(await resp.read());
  } finally {
    resp.close();
  }
}

Deno.test("CookieJar.set_cookie keeps every field of the Cookie and its place when replacing one (as CPython 3.13)", () => {
  const jar = new CookieJar();
  const make = (name: string, value: string, extra = {}) =>
    new Cookie({ name, value, domain: "example.com", path: "/", ...extra });
  for (const name of ["a", "b", "c"]) jar.set_cookie(make(name, "1"));
  jar.set_cookie(make("a", "2"));
  const req = new Request("http://example.com/");
  jar.add_cookie_header(req);
  equal(req.get_header("Cookie"), "a=2; b=1; c=1");

  jar.set_cookie(make("k", "v", {
    port: "80,8080",
    port_specified: true,
    comment: "cm",
    discard: true,
    expires: 4102444800,
    rest: { HTTPOnly: "" },
    rfc2109: true,
    domain_specified: true,
  }));
  jar.set_cookie(make("p", "v", { discard: false, expires: 4102444800 }));
  const k = [...jar].find((c) => c.name === "k")!;
  deepEqual(
    [k.version, k.port, k.port_specified, k.comment, k.discard, k.expires],
    [0, "80,8080", true, "cm", true, 4102444800],
  );
  // Given without a dot, a specified domain stays specified.
  deepEqual([k.rfc2109, k.domain_specified], [true, true]);
  deepEqual(k.rest, { HTTPOnly: "" });
  equal(k.has_nonstandard_attr("HTTPOnly"), true);
  // discard, not the lack of an expiry, makes a session cookie.
  jar.clear_session_cookies();
  deepEqual([...jar].map((c) => c.name), ["p"]);
});

Deno.test("HTTPCookieProcessor keeps cookies across requests", async () => {
  const received: (string | null)[] = [];
  await withServer((req) => {
    const cookie = req.headers.get("cookie");
    received.push(cookie);
    const n = Number(/(?:^|; )n=(\d+)/.exec(cookie ?? "")?.[1] ?? 0) + 1;
    return new Response(String(n), {
      headers: { "Set-Cookie": `n=${n}; Path=/` },
    });
  }, async (base) => {
    const jar = new CookieJar();
    const opener = build_opener(new HTTPCookieProcessor(jar));
    equal(await fetchText(opener, `${base}/`), "1");
    equal(await fetchText(opener, `${base}/x`), "2");
    equal(await fetchText(opener, `${base}/y/z`), "3");
    deepEqual(received, [null, "n=1", "n=2"]);
    deepEqual([...jar].map((c) => [c.name, c.value, c.domain]), [[
      "n",
      "3",
      "127.0.0.1",
    ]]);
  });
});

Deno.test("HTTPCookieProcessor: a login flow with a redirect, a protected page and logout", async () => {
  const sessions = new Set<string>();
  await withServer(async (req) => {
    const url = new URL(req.url);
    const sid = /(?:^|; )sid=([^;]+)/.exec(req.headers.get("cookie") ?? "")
      ?.[1];
    if (url.pathname === "/login" && req.method === "POST") {
      const form = new URLSearchParams(await req.text());
      if (form.get("user") !== "alice" || form.get("password") !== "s3cret") {
        return new Response("bad login", { status: 403 });
      }
      const id = crypto.randomUUID();
      sessions.add(id);
      return new Response(null, {
        status: 302,
        headers: [
          ["Location", "/account"],
          ["Set-Cookie", `sid=${id}; Path=/; HttpOnly`],
          ["Set-Cookie", "flash=welcome; Path=/account"],
        ],
      });
    }
    if (url.pathname === "/account") {
      if (!sid || !sessions.has(sid)) {
        return new Response("login first", { status: 401 });
      }
      const flash = /(?:^|; )flash=([^;]+)/.exec(
        req.headers.get("cookie") ?? "",
      )?.[1];
      return new Response(`account of alice (${flash ?? "no flash"})`);
    }
    if (url.pathname === "/logout") {
      if (sid) sessions.delete(sid);
      return new Response("bye", {
        headers: {
          "Set-Cookie": "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        },
      });
    }
    return new Response("not found", { status: 404 });
  }, async (base) => {
    const jar = new CookieJar();
    const opener = build_opener(new HTTPCookieProcessor(jar));
    const login = new Request(`${base}/login`, {
      data: new TextEncoder().encode("user=alice&password=s3cret"),
    });
    // The cookie set on the 302 is sent with the redirected request.
    equal(await fetchText(opener, login), "account of alice (welcome)");
    equal(
      await fetchText(opener, `${base}/account`),
      "account of alice (welcome)",
    );
    deepEqual([...jar].map((c) => c.name).sort(), ["flash", "sid"]);
    equal(await fetchText(opener, `${base}/logout`), "bye");
    deepEqual([...jar].map((c) => c.name), ["flash"]);
    await fetchText(opener, `${base}/account`).then(
      () => {
        throw new Error("expected HTTPError 401");
      },
      async (error) => {
        equal(error.code, 401);
        await error.fp?.close();
      },
    );
  });
});

// ---------------------------------------------------------------------------
// Differential: the same Set-Cookie headers through CPython's CookieJar.

Deno.test("CookieJar strips Set-Cookie attributes as Python's str.strip() does: \\x1c..\\x1f and \\x85 are whitespace (CPython 3.13's answers)", () => {
  const url = "http://www.example.com/a/b";
  const stored = (value: string) => {
    const jar = new CookieJar();
    jar.extract_cookies(response(value), new Request(url));
    return [...jar];
  };
  // CPython stores it with an expiry 60 seconds away.
  const [aged] = stored("a=1; Max-Age=\x1c60");
  ok(aged?.expires !== null && aged?.expires !== undefined);
  ok(Math.abs(aged.expires - (Date.now() / 1000 + 60)) < 5);
  // CPython reads a Path without a value, and stores nothing.
  deepEqual(stored("a=1; \x1cPath"), []);
  // CPython reads the Domain: a domain cookie, its initial dot kept.
  const [dotted] = stored("a=1; \x85Domain=.example.com");
  deepEqual(
    [dotted?.domain, dotted?.domain_specified, dotted?.domain_initial_dot],
    [".example.com", true, true],
  );
  deepEqual(stored("a=1; Foo=\x1cbar\x85")[0]?.rest, { Foo: "bar" });
  // \ufeff is no whitespace to Python: not an integer.
  deepEqual(stored("a=1; Max-Age=\ufeff60"), []);
});

Deno.test("CookieJar ignores a cookie whose Version is no integer, as CPython 3.13's int(version) does, and one above 1, as its default policy does", () => {
  const names = (...values: string[]) => {
    const jar = new CookieJar();
    jar.extract_cookies(
      response(...values),
      new Request("http://www.example.com/"),
    );
    return [...jar].map((c) => c.name);
  };
  deepEqual(names("a=1; Version=x", "b=1; Version=", "c=1; Version=1.0"), []);
  deepEqual(names("a=1; Version=2", 'b=1; Version="2'), []);
  // Quotes off, then int(): these are versions 1, 0 and -1; only the first
  // Version counts.
  deepEqual(
    names(
      'a=1; Version="1"; Path=/',
      "b=1; Version= 0_0 ; Path=/",
      "c=1; Version=-1; Path=/",
      "d=1; Version=1; Version=x; Path=/",
    ),
    ["a", "b", "c", "d"],
  );
});

Deno.test("CookieJar skips a Set-Cookie attribute without a name, as CPython 3.13 does", () => {
  const jar = new CookieJar();
  jar.extract_cookies(
    response("a=1; =b; HttpOnly", "c=2; \x1c=d"),
    new Request("http://www.example.com/"),
  );
  deepEqual([...jar].map((c) => [c.name, c.rest]), [
    ["a", { HttpOnly: null }],
    ["c", {}],
  ]);
});

Deno.test({
  name: "CookieJar agrees with CPython 3.13 on what is stored and sent",
  ignore: !havePython313(),
}, async () => {
  const scenario = {
    set: [
      ["http://www.example.com/a/b/c", "plain=1"],
      ["http://www.example.com/a/b/c", "withpath=2; Path=/a"],
      ["http://www.example.com/a/b/c", "dom=3; Domain=example.com; Path=/"],
      ["http://www.example.com/a/b/c", "dotdom=4; Domain=.example.com"],
      ["http://www.example.com/", 'quoted="a b"; Path=/'],
      ["http://www.example.com/", "http=5; HttpOnly; Path=/"],
      ["http://www.example.com/", "persist=6; Max-Age=3600; Path=/"],
      ["http://www.example.com/", "foreign=7; Domain=other.com"],
      ["http://www.example.com/", "plain=replaced; Path=/a/b"],
      ["https://www.example.com/", "sec=8; Secure; Path=/"],
      [
        "http://www.example.com/",
        "persist=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
      ],
      // Lines Python throws away: no name, an attribute that needs a value.
      ["http://www.example.com/", "=nameless; Path=/"],
      ["http://www.example.com/", " ; late=1; Path=/"],
      ["http://www.example.com/", "nodom=1; Domain; Path=/"],
      ["http://www.example.com/", "emptydom=1; Domain=; Path=/"],
      ["http://www.example.com/", "nopath=1; Path"],
      ["http://www.example.com/", "nover=1; Version; Path=/"],
      ["http://www.example.com/", "noage=1; Max-Age; Path=/"],
      ["http://www.example.com/", "emptyage=1; Max-Age=; Path=/"],
      ["http://www.example.com/", "wordage=1; Max-Age=abc; Path=/"],
      ["http://www.example.com/", "floatage=1; Max-Age=1.5; Path=/"],
      // A Max-Age as Python's int() reads it.
      ["http://www.example.com/", "plusage=1; Max-Age=+3600; Path=/"],
      ["http://www.example.com/", "underage=1; Max-Age=3_600; Path=/"],
      // Every Max-Age counts, its repeats too.
      ["http://www.example.com/", "twoage=1; Max-Age=60; Max-Age=x; Path=/"],
      // Only an attribute's first appearance counts: these are kept.
      ["http://www.example.com/", "repath=1; Path=/; Path"],
      ["http://www.example.com/", "redom=1; Domain=.example.com; Domain"],
      ["http://www.example.com/", "redom2=1; Domain=example.com; Domain="],
      // Kept: an empty Path is the default one; Expires alone is a session.
      ["http://www.example.com/a/b", "emptypath=1; Path="],
      ["http://www.example.com/", "noexp=1; Expires; Path=/"],
      // Whitespace as Python's str.strip() sees it; attributes without a
      // name; a Version that is no integer, or above 1.
      ["http://www.example.com/", "fsage=1; Max-Age=\x1c3600; Path=/"],
      ["http://www.example.com/", "fspath=1; \x1cPath"],
      ["http://www.example.com/", "nelrest=1; \x85Foo=\x1cbar\x85; Path=/"],
      ["http://www.example.com/", "bomage=1; Max-Age=\ufeff60; Path=/"],
      ["http://www.example.com/", "noname=1; =b; Path=/"],
      ["http://www.example.com/", "wordver=1; Version=x; Path=/"],
      ["http://www.example.com/", "emptyver=1; Version=; Path=/"],
      ["http://www.example.com/", "twover=1; Version=2; Path=/"],
      // RFC 2965 attributes that are fields, not `rest`.
      ["http://www.example.com/", "disc=1; Max-Age=3600; Discard; Path=/"],
      [
        "http://www.example.com/",
        "com=1; Comment=hi; CommentURL=http://x/; Path=/",
      ],
    ],
    ask: [
      "http://www.example.com/a/b/c",
      "http://www.example.com/a/x",
      "http://example.com/",
      "http://shop.example.com/a",
      "https://www.example.com/",
      "http://other.com/",
    ],
  };
  const script = `
import email.message, json, sys, http.cookiejar, urllib.request
data = json.load(sys.stdin)
jar = http.cookiejar.CookieJar()
class R:
    def __init__(self, value):
        self.m = email.message.Message(); self.m["Set-Cookie"] = value
    def info(self): return self.m
for url, value in data["set"]:
    jar.extract_cookies(R(value), urllib.request.Request(url))
stored = sorted([c.name, c.value, c.domain, c.path, c.secure, c.discard, c.comment, c.comment_url, c._rest] for c in jar)
sent = []
for url in data["ask"]:
    r = urllib.request.Request(url); jar.add_cookie_header(r)
    sent.append(sorted((r.get_header("Cookie") or "").split("; ")))
print(json.dumps({"stored": stored, "sent": sent}))
`;
  const python = await pythonJson<{ stored: unknown[]; sent: string[][] }>(
    script,
    { input: scenario },
  );
  const jar = new CookieJar();
  for (const [url, value] of scenario.set) {
    jar.extract_cookies(response(value!), new Request(url!));
  }
  const stored = [...jar].map((
    c,
  ) => [
    c.name,
    c.value,
    c.domain,
    c.path,
    c.secure,
    c.discard,
    c.comment,
    c.comment_url,
    c.rest,
  ])
    .sort((x, y) => JSON.stringify(x) < JSON.stringify(y) ? -1 : 1);
  const sent = scenario.ask.map((url) =>
    (cookieHeader(jar, url) ?? "").split("; ").sort()
  );
  deepEqual(stored, python.stored);
  deepEqual(sent, python.sent); // Discard makes a cookie with an expiry a session one all the same.
  jar.clear_session_cookies();
  equal([...jar].some((c) => c.name === "disc"), false);
});

// ---------------------------------------------------------------------------
// MozillaCookieJar: the Netscape cookies.txt format, both ways with CPython.

const FUTURE = 4102444800; // 2100-01-01

const httpOnly = (c: Cookie) =>
  c.has_nonstandard_attr("HttpOnly") || c.has_nonstandard_attr("HTTPOnly");

function sampleJar(path: string | null = null): MozillaCookieJar {
  const jar = new MozillaCookieJar(path);
  const req = new Request("https://www.example.com/app/page");
  jar.extract_cookies(
    response(
      `persist=1; Path=/; Expires=${new Date(FUTURE * 1000).toUTCString()}`,
      `dom=2; Domain=example.com; Path=/app; Secure; Max-Age=${
        FUTURE - Math.floor(Date.now() / 1000)
      }`,
      `http=3; Path=/; HttpOnly; Expires=${
        new Date(FUTURE * 1000).toUTCString()
      }`,
      "session=4; Path=/",
    ),
    req,
  );
  return jar;
}

Deno.test("MozillaCookieJar: save and load round trip, session cookies on request", async () => {
  const path = await Deno.makeTempFile();
  try {
    // One jar for the file and the expected cookies: Max-Age counts from
    // the time the cookie is taken in, so a second jar made a second later
    // would expire a second later.
    const saved = sampleJar(path);
    await saved.save();
    const text = await Deno.readTextFile(path);
    ok(text.startsWith("# Netscape HTTP Cookie File\n"));
    ok(
      text.includes(
        `#HttpOnly_www.example.com\tFALSE\t/\tFALSE\t${FUTURE}\thttp\t3\n`,
      ),
    );
    ok(!text.includes("session"));
    equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    const loaded = new MozillaCookieJar();
    await loaded.load(path);
    const fields = (
      c: Cookie,
    ) => [c.name, c.value, c.domain, c.path, c.secure, c.expires, httpOnly(c)];
    deepEqual(
      [...loaded].map(fields),
      [...saved].filter((c) => !c.discard).map(fields),
    );
    deepEqual([...loaded].map((c) => c.name), ["persist", "http", "dom"]);
    // Loaded cookies report the flag as Python's loader spells it.
    deepEqual([...loaded].find((c) => c.name === "http")?.rest, {
      HTTPOnly: "",
    });
    const custom = new CookieJar();
    custom.set_cookie(
      new Cookie({
        name: "x",
        value: "1",
        domain: "h.test",
        rest: { Priority: "High", Flag: null, SameSite: "Strict" },
      }),
    );
    // A cookie given to set_cookie reports its attributes as given.
    deepEqual([...custom][0]?.rest, {
      Priority: "High",
      Flag: null,
      SameSite: "Strict",
    });
    equal(cookieHeader(loaded, "https://shop.example.com/app/x"), "dom=2");

    await sampleJar(path).save({ ignore_discard: true });
    const all = new MozillaCookieJar(path);
    await all.load({ ignore_discard: true });
    ok([...all].some((c) => c.name === "session" && c.discard));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("MozillaCookieJar: bad files, revert, and missing file names", async () => {
  const path = await Deno.makeTempFile();
  try {
    const jar = sampleJar(path);
    await Deno.writeTextFile(path, "not a cookies file\n");
    // Python's messages, quoting with repr().
    await rejects(jar.load(), {
      name: "LoadError",
      message: `'${path}' does not look like a Netscape format cookies file`,
    });
    await Deno.writeTextFile(
      path,
      "# Netscape HTTP Cookie File\nonly\tthree\tfields\n",
    );
    await rejects(jar.load(), {
      name: "LoadError",
      message:
        `invalid Netscape format cookies file '${path}': 'only\\tthree\\tfields'`,
    });
    // A failed revert leaves the jar as it was.
    const before = String(jar);
    await rejects(jar.revert(), LoadError);
    equal(String(jar), before);
    await Deno.writeTextFile(
      path,
      `# HTTP Cookie File\n\n# comment\n.h.test\tTRUE\t/\tFALSE\t${FUTURE}\t\tbare\n`,
    );
    await jar.revert();
    deepEqual([...jar].map((c) => [c.name, c.value, c.domain]), [[
      "bare",
      null,
      ".h.test",
    ]]);
    equal(cookieHeader(jar, "http://a.h.test/"), "bare");
    await rejects(new MozillaCookieJar().save(), TypeError);
    await rejects(new FileCookieJar(path).save(), Error);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test({
  name: "MozillaCookieJar files are read by CPython 3.13, and CPython's by us",
  ignore: !havePython313(),
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ours = `${dir}/ours.txt`;
    const theirs = `${dir}/theirs.txt`;
    const saved = sampleJar(ours); // One jar: see the round trip above.
    await saved.save();
    const script = `
import http.cookiejar, json, sys
ours, theirs = sys.argv[1], sys.argv[2]
jar = http.cookiejar.MozillaCookieJar()
jar.load(ours)
seen = sorted([c.name, c.value, c.domain, c.path, c.secure, int(c.expires), c.has_nonstandard_attr("HTTPOnly")] for c in jar)
out = http.cookiejar.MozillaCookieJar(theirs)
out.set_cookie(http.cookiejar.Cookie(0, "py", "1", None, False, ".example.org", True, True, "/p", True,
    True, ${FUTURE}, False, None, None, {"HTTPOnly": ""}))
out.set_cookie(http.cookiejar.Cookie(0, "host", "2", None, False, "www.example.org", False, False, "/", False,
    False, ${FUTURE}, False, None, None, {}))
out.save()
print(json.dumps(seen))
`;
    const python = await pythonJson(script, { args: [ours, theirs] });
    const mine = [...saved].filter((c) => !c.discard).map((c) => [
      c.name,
      c.value,
      c.domain,
      c.path,
      c.secure,
      c.expires,
      httpOnly(c),
    ]).sort((a, b) => String(a[0]) < String(b[0]) ? -1 : 1);
    deepEqual(python, mine);
    const loaded = new MozillaCookieJar(theirs);
    await loaded.load();
    deepEqual(
      [...loaded].map((
        c,
      ) => [
        c.name,
        c.domain,
        c.path,
        c.secure,
        c.expires,
        httpOnly(c),
      ]),
      [["py", ".example.org", "/p", true, FUTURE, true], [
        "host",
        "www.example.org",
        "/",
        false,
        FUTURE,
        false,
      ]],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HTTPCookieProcessor: cookies do not leak to another host on a redirect", async () => {
  const seenByOther: (string | null)[] = [];
  await withServer((req) => {
    seenByOther.push(req.headers.get("cookie"));
    return new Response("other host");
  }, async (other) => {
    const otherByName = other.replace("127.0.0.1", "localhost");
    await withServer(
      () =>
        new Response(null, {
          status: 302,
          headers: { Location: `${otherByName}/landing` },
        }),
      async (base) => {
        const jar = new CookieJar();
        jar.extract_cookies(
          response("spam=eggs; Path=/"),
          new Request(`${base}/`),
        );
        const opener = build_opener(new HTTPCookieProcessor(jar));
        equal(await fetchText(opener, `${base}/go`), "other host");
        deepEqual(seenByOther, [null]);
      },
    );
  });
});

Deno.test({
  name:
    "HTTPCookieProcessor over https: Secure cookies are kept and only sent over https",
  ignore: !haveOpenssl,
}, async () => {
  const certs = await makeCerts();
  const seen: { scheme: string; cookie: string | null }[] = [];
  const handler = (req: globalThis.Request) => {
    seen.push({
      scheme: new URL(req.url).protocol,
      cookie: req.headers.get("cookie"),
    });
    return new Response("ok", {
      headers: [["Set-Cookie", "sec=1; Secure; Path=/"], [
        "Set-Cookie",
        "plain=2; Path=/",
      ]],
    });
  };
  const tls = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: certs.cert,
    key: certs.key,
    onListen() {},
  }, handler);
  try {
    await withServer(handler, async (plainBase) => {
      const jar = new CookieJar();
      const context = create_default_context({ cadata: certs.ca });
      const opener = build_opener(
        new HTTPSHandler({ context }),
        new HTTPCookieProcessor(jar),
      );
      const tlsBase = `https://127.0.0.1:${tls.addr.port}`;
      await fetchText(opener, `${tlsBase}/a`);
      await fetchText(opener, `${tlsBase}/b`);
      await fetchText(opener, `${plainBase}/c`);
      deepEqual(seen.map((s) => s.cookie), [null, "sec=1; plain=2", "plain=2"]);
      deepEqual([...jar].map((c) => [c.name, c.secure]), [["sec", true], [
        "plain",
        false,
      ]]);
    });
  } finally {
    await tls.shutdown();
  }
});

Deno.test("MozillaCookieJar reads cookies.txt files as CPython 3.13 does: #HttpOnly_ kept on save, expiry as int(float(x)), the flag column checked, UTF-8 only, an existing file's mode kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const header = "# Netscape HTTP Cookie File\n";
    const row = (domain: string, flag: string, expires: string, name: string) =>
      `${domain}\t${flag}\t/\tFALSE\t${expires}\t${name}\tv\n`;
    const file = `${dir}/in.txt`;
    await Deno.writeTextFile(
      file,
      header + "#HttpOnly_" + row(".example.com", "TRUE", "4102444800", "sid") +
        row(".example.com", "TRUE", "4102444800.742", "frac") +
        row(".example.com", "TRUE", " 4102444800", "space") +
        row(".example.com", "TRUE", "4_102_444_800", "under") +
        row(".example.com", "TRUE", "4e9", "exp") +
        row(".example.com", "TRUE", "9999999999999", "huge") +
        row(".example.com", "TRUE", "1e22", "vast"),
    );
    const jar = new MozillaCookieJar();
    await jar.load(file);
    deepEqual([...jar].map((c) => [c.name, c.expires]), [
      ["sid", 4102444800],
      ["frac", 4102444800],
      ["space", 4102444800],
      ["under", 4102444800],
      ["exp", 4000000000],
      ["huge", 9999999999999],
      ["vast", 1e22],
    ]);
    // Saved as CPython saves them, the HttpOnly mark and the far expiry kept;
    // an existing file keeps its mode (Python's os.open(O_CREAT, 0o600)).
    const out = `${dir}/out.txt`;
    await Deno.writeTextFile(out, "");
    await Deno.chmod(out, 0o644);
    await jar.save(out);
    const lines = (await Deno.readTextFile(out)).split("\n");
    ok(
      lines.includes(
        `#HttpOnly_${
          row(".example.com", "TRUE", "4102444800", "sid").trimEnd()
        }`,
      ),
    );
    ok(
      lines.includes(
        row(".example.com", "TRUE", "9999999999999", "huge").trimEnd(),
      ),
    );
    // Python's int prints every digit: 1e22 is written 1 and 22 zeros.
    ok(
      lines.includes(
        row(".example.com", "TRUE", "1" + "0".repeat(22), "vast").trimEnd(),
      ),
    );
    if (Deno.build.os !== "windows") {
      equal((await Deno.stat(out)).mode! & 0o777, 0o644);
    }
    // A flag that contradicts the domain's leading dot, an expiry that is
    // not a number, and bytes that are not UTF-8 are Python's errors.
    for (
      const [text, error] of [
        [header + row("example.com", "TRUE", "4102444800", "a"), LoadError],
        [header + row(".example.com", "FALSE", "4102444800", "a"), LoadError],
        [header + row(".example.com", "TRUE", "soon", "a"), LoadError],
      ] as const
    ) {
      await Deno.writeTextFile(file, text);
      await rejects(new MozillaCookieJar().load(file), error);
    }
    await Deno.writeFile(
      file,
      new Uint8Array([
        ...new TextEncoder().encode(header + ".e.com\tTRUE\t/\tFALSE\t1\ta\tv"),
        0xe9,
        0x0a,
      ]),
    );
    await rejects(new MozillaCookieJar().load(file), {
      name: "UnicodeDecodeError",
    });
    // Python's line.strip(): a line starting \x1c is a comment, and one
    // holding only \ufeff is not blank but a bad line.
    await Deno.writeTextFile(
      file,
      header + "\x1c# note\n\x85\n" +
        row(".e.com", "TRUE", "4102444800", "a"),
    );
    const stripped = new MozillaCookieJar();
    await stripped.load(file);
    deepEqual([...stripped].map((c) => c.name), ["a"]);
    await Deno.writeTextFile(file, header + "\ufeff\n");
    await rejects(new MozillaCookieJar().load(file), LoadError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Cookie takes Python's positional form, and its methods Python's keywords", () => {
  const positional = new Cookie(
    0,
    "n",
    "v",
    null,
    false,
    "h.example",
    false,
    false,
    "/p",
    true,
    false,
    null,
    true,
    null,
    null,
    { HttpOnly: null },
    true,
  );
  // As CPython 3.13 prints Cookie(0, 'n', 'v', None, ..., {'HttpOnly': None}, True).
  equal(
    positional.repr(),
    "Cookie(version=0, name='n', value='v', port=None, port_specified=False, domain='h.example', domain_specified=False, domain_initial_dot=False, path='/p', path_specified=True, secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={'HttpOnly': None}, rfc2109=True)",
  );
  // The fields after any of them by keyword, as Python allows.
  const mixed = new Cookie(
    0,
    "n",
    "v",
    null,
    false,
    "h.example",
    false,
    false,
    "/p",
    true,
    false,
    null,
    true,
    null,
    null,
    { HttpOnly: null },
    { rfc2109: true } as never,
  );
  equal(mixed.repr(), positional.repr());
  equal(positional.get_nonstandard_attr("x", { default: "d" }), "d");
  equal(positional.get_nonstandard_attr("HttpOnly", "d"), null);
  equal(positional.is_expired({ now: 0 }), false);
  const Loosely = Cookie as unknown as new (...a: unknown[]) => Cookie;
  throws(() => new Loosely(0, "n"), {
    name: "TypeError",
    message:
      "Cookie() missing 2 required positional arguments: 'value' and 'domain'",
  });
  throws(() => new Loosely({ name: "n", value: "v", domain: "h", nmae: "x" }), {
    name: "TypeError",
    message: "Cookie() got an unexpected keyword argument 'nmae'",
  });
  const loose = positional as unknown as Record<
    "get_nonstandard_attr" | "is_expired",
    (...a: unknown[]) => unknown
  >;
  throws(() => loose.get_nonstandard_attr("x", "d", { default: "e" }), {
    name: "TypeError",
    message:
      "get_nonstandard_attr() got multiple values for argument 'default'",
  });
  throws(() => loose.is_expired(0, 1), {
    name: "TypeError",
    message: /is_expired\(\) takes at most 1/,
  });
});

Deno.test("a cookie policy is refused, not silently dropped; bad jar calls are TypeErrors", async () => {
  equal(new CookieJar(null).length, 0);
  equal(new MozillaCookieJar("c.txt", false, null).filename, "c.txt");
  // As a port of DefaultCookiePolicy(blocked_domains=[...]) would pass one.
  const policy = new (class DefaultCookiePolicy {
    blocked_domains = ["tracker.example"];
  })();
  const Jar = CookieJar as unknown as new (...a: unknown[]) => CookieJar;
  const FileJar = MozillaCookieJar as unknown as new (
    ...a: unknown[]
  ) => MozillaCookieJar;
  throws(() => new Jar(policy), {
    name: "TypeError",
    message: /CookieJar\(\): cookie policy objects are not supported/,
  });
  throws(() => new Jar({ policy: new (class Policy {})() }), {
    name: "TypeError",
    message: /cookie policy objects are not supported/,
  });
  throws(() => new FileJar("c.txt", false, policy), {
    name: "TypeError",
    message: /MozillaCookieJar\(\): cookie policy objects are not supported/,
  });
  throws(() => new Jar(null, null), {
    name: "TypeError",
    message: /CookieJar\(\) takes at most 1/,
  });
  const base = new FileCookieJar("c.txt") as unknown as {
    save(...a: unknown[]): Promise<void>;
  };
  await rejects(base.save("c.txt", { filename: "d.txt" }), {
    name: "TypeError",
    message: "save() got multiple values for argument 'filename'",
  });
  await rejects(base.save(), { name: "Error", message: /not implemented/ });
});
