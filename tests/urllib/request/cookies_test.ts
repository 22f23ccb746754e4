/**
 * CookieJar and HTTPCookieProcessor: the jar's Python-shaped API, then
 * sessions against real local servers (cookies across requests, a login
 * flow with redirects, logout), then a differential run against CPython.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { HTTPMessage } from "../../../_util/http_message.ts";
import { Cookie, CookieJar } from "../../../urllib/request/cookiejar.ts";
import { HTTPCookieProcessor } from "../../../urllib/request/cookie_processor.ts";
import { build_opener } from "../../../urllib/request/opener.ts";
import { Request } from "../../../urllib/request/request.ts";

function response(...setCookies: string[]) {
  const headers = new HTTPMessage(
    setCookies.map((v) => ["Set-Cookie", v] as const),
  );
  return { info: () => headers };
}

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
  equal(a?.has_nonstandard_attr("httponly"), true);
  equal(a?.get_nonstandard_attr("samesite"), "Lax");
  const c = [...jar].find((x) => x.name === "c")!;
  ok(c.domain_specified && !c.domain_initial_dot && !c.discard);
  ok(c.expires !== null && Math.abs(c.expires - (Date.now() / 1000 + 100)) < 5);

  // Cookies go back longest path first, only where domain and path match.
  equal(
    cookieHeader(jar, "http://www.example.com/a/b/c"),
    'e="q q"; a=1; c=3; d; g=',
  );
  equal(cookieHeader(jar, "http://www.example.com/a"), "g=");
  equal(cookieHeader(jar, "http://other.example.com/a/b/"), "c=3");
  equal(cookieHeader(jar, "http://example.org/"), null);
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

async function withServer(
  handler: (req: globalThis.Request) => Response | Promise<Response>,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    handler,
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

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

Deno.test("CookieJar agrees with CPython 3.13 on what is stored and sent", async (t) => {
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
stored = sorted([c.name, c.value, c.domain, c.path, c.secure, c.discard] for c in jar)
sent = []
for url in data["ask"]:
    r = urllib.request.Request(url); jar.add_cookie_header(r)
    sent.append(sorted((r.get_header("Cookie") or "").split("; ")))
print(json.dumps({"stored": stored, "sent": sent}))
`;
  let python: { stored: unknown[]; sent: string[][] };
  try {
    const child = new Deno.Command("python3", {
      args: ["-c", script],
      env: { PYENV_VERSION: "3.13.0" },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(scenario)));
    await writer.close();
    const out = await child.output();
    if (!out.success) throw new Error("python3 failed");
    python = JSON.parse(new TextDecoder().decode(out.stdout));
  } catch {
    await t.step({
      name: "CPython 3.13 not available",
      ignore: true,
      fn: () => {},
    });
    return;
  }
  const jar = new CookieJar();
  for (const [url, value] of scenario.set) {
    jar.extract_cookies(response(value!), new Request(url!));
  }
  const stored = [...jar].map((
    c,
  ) => [c.name, c.value, c.domain, c.path, c.secure, c.discard])
    .sort((x, y) => JSON.stringify(x) < JSON.stringify(y) ? -1 : 1);
  const sent = scenario.ask.map((url) =>
    (cookieHeader(jar, url) ?? "").split("; ").sort()
  );
  deepEqual(stored, python.stored);
  deepEqual(sent, python.sent);
});
