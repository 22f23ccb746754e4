/**
 * HTTP authentication: WWW-Authenticate parsing (Python's results, checked
 * against CPython when present, and linear time on hostile input: CPython's
 * CVE-2020-8492), then Basic, Digest, prior and proxy auth against real
 * local servers.
 */
import { createHash } from "node:crypto";
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { HTTPError, URLError } from "../../../urllib/error.ts";
import {
  HTTPBasicAuthHandler,
  HTTPDigestAuthHandler,
  ProxyBasicAuthHandler,
  ProxyDigestAuthHandler,
} from "../../../urllib/request/auth_handlers.ts";
import { build_opener } from "../../../urllib/request/opener.ts";
import {
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
} from "../../../urllib/request/password_mgr.ts";
import { ProxyHandler } from "../../../urllib/request/proxy_handler.ts";
import { Request } from "../../../urllib/request/request.ts";
import { haveTinyproxy, startTinyproxy } from "./_tinyproxy.ts";
import {
  parseBasicChallenges,
  parseHttpList,
  parseKeqvList,
} from "../../../urllib/request/_auth_header.ts";
import { withServer } from "./_site.ts";
import { havePython313, pythonJson } from "../../_python.ts";

const REALM = "realm2@example.com";
const DIGEST = `Digest realm="${REALM}", qop="auth, auth-int", ` +
  `nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`;

function firstBasicRealm(header: string): string | null {
  const basic = parseBasicChallenges(header).find((c) =>
    c.scheme.toLowerCase() === "basic" && c.realm !== null
  );
  return basic?.realm ?? null;
}

Deno.test("Basic challenges: the header forms of CPython's test_basic_auth", () => {
  const basic = `Basic realm="${REALM}"`;
  for (
    const header of [
      `Basic realm="${REALM}"`,
      `Basic realm='${REALM}'`,
      `Basic realm="${REALM}", charset="UTF-8"`,
      `${basic}, ${basic}`,
      `${basic}, Otherscheme xxx`,
      `Otherscheme xxx, ${basic}`,
      `${basic}, ${DIGEST}`,
      `${DIGEST}, ${basic}`,
      `Basic realm=${REALM}`,
    ]
  ) {
    deepEqual(firstBasicRealm(header), REALM, header);
  }
});

Deno.test("Basic challenges: schemes, quoting and the no-match fallback", () => {
  deepEqual(parseBasicChallenges(`${DIGEST}, Basic realm="a"`), [
    { scheme: "Digest", realm: REALM, quoted: true },
    { scheme: "Basic", realm: "a", quoted: true },
  ]);
  deepEqual(parseBasicChallenges("Basic realm=x, Digest realm=y"), [
    // An unquoted realm runs to the next quote, commas included, as in Python.
    { scheme: "Basic", realm: "x, Digest realm=y", quoted: false },
  ]);
  deepEqual(parseBasicChallenges(`Basic realm="unterminated`), [
    { scheme: "Basic", realm: "", quoted: false },
  ]);
  deepEqual(parseBasicChallenges("NTLM"), [{
    scheme: "NTLM",
    realm: null,
    quoted: false,
  }]);
  deepEqual(parseBasicChallenges("Kerberos abc"), [{
    scheme: "Kerberos",
    realm: null,
    quoted: false,
  }]);
  deepEqual(parseBasicChallenges(""), [{
    scheme: "",
    realm: null,
    quoted: false,
  }]);
  deepEqual(parseBasicChallenges(",basic REALM='r'"), [{
    scheme: "basic",
    realm: "r",
    quoted: true,
  }]);
});

Deno.test("parse_http_list and parse_keqv_list: CPython's cases", () => {
  const cases: [string, string[]][] = [
    ["a,b,c", ["a", "b", "c"]],
    ['path"o,l"og"i"cal, example', ['path"o,l"og"i"cal', "example"]],
    ['a, b, "c", "d", "e,f", g, h', [
      "a",
      "b",
      '"c"',
      '"d"',
      '"e,f"',
      "g",
      "h",
    ]],
    ['a="b\\"c", d="e\\,f", g="h\\\\i"', ['a="b"c"', 'd="e,f"', 'g="h\\i"']],
    // Python's whitespace: NEL and U+001C are stripped, U+FEFF is kept.
    ["a\x85, \x1cb", ["a", "b"]],
    ["\ufeffa", ["\ufeffa"]],
  ];
  for (const [input, expected] of cases) {
    deepEqual(parseHttpList(input), expected, input);
  }
  deepEqual(parseHttpList(""), []);
  deepEqual(parseHttpList("a,"), ["a"]);
  deepEqual(parseHttpList(",a"), ["", "a"]);
  deepEqual({ ...parseKeqvList(['realm="x y"', "qop=auth", 'a="', "b=c=d"]) }, {
    realm: "x y",
    qop: "auth",
    a: "",
    b: "c=d",
  });
  throws(() => parseKeqvList(["novalue"]), TypeError);
});

/** A small deterministic generator, so a failure can be replayed. */
function* randomHeaders(seed: number, count: number): Generator<string> {
  const tokens = [
    " ",
    "\t",
    ",",
    '"',
    "'",
    "a",
    "B",
    "realm=",
    "REALM=",
    "Basic",
    "x y",
    "\\",
  ];
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let i = 0; i < count; i++) {
    const length = next() % 15;
    let s = "";
    for (let j = 0; j < length; j++) s += tokens[next() % tokens.length];
    yield s;
  }
}

Deno.test({
  name:
    "challenge and list parsing agree with CPython 3.13 on generated headers",
  ignore: !havePython313(),
}, async () => {
  const headers = [...randomHeaders(7, 2000)];
  const script = `
import json, sys
from urllib.request import AbstractBasicAuthHandler, parse_http_list
out = []
for s in json.load(sys.stdin):
    found = [[m.group(1), m.group(3), m.group(2) in ('"', "'")]
             for m in AbstractBasicAuthHandler.rx.finditer(s)]
    if not found:
        words = s.split()
        found = [[words[0] if words else "", None, False]]
    out.append([found, parse_http_list(s)])
print(json.dumps(out))
`;
  const python = await pythonJson<
    [[string, string | null, boolean][], string[]][]
  >(script, { input: headers });
  headers.forEach((header, i) => {
    const [challenges, list] = python[i]!;
    const ours = parseBasicChallenges(header).map((
      c,
    ) => [c.scheme, c.realm, c.quoted]);
    deepEqual(ours, challenges, JSON.stringify(header));
    deepEqual(parseHttpList(header), list, JSON.stringify(header));
  });
});

Deno.test("100 kB hostile WWW-Authenticate headers parse in linear time (CVE-2020-8492)", () => {
  const size = 100_000;
  const fill = (unit: string) =>
    unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const hostile = [
    // The shape of the CVE's proof of concept: many separators, no realm.
    "Basic " + fill(", ") + ".",
    fill(","),
    fill(" \t"),
    fill("a "),
    fill('a realm="'),
    fill("a realm='"),
    fill(", a realm"),
    fill('Basic realm="x", '),
    fill("Basic realm=x"),
    'Basic realm="' + fill("a"),
    fill('\\"'),
  ];
  for (const header of hostile) {
    const start = performance.now();
    parseBasicChallenges(header);
    parseHttpList(header);
    const elapsed = performance.now() - start;
    // Quadratic behaviour on 100 kB takes tens of seconds; linear takes a few
    // milliseconds (the bound leaves room for a loaded machine).
    ok(
      elapsed < 1000,
      `${JSON.stringify(header.slice(0, 20))}…: ${elapsed.toFixed(1)} ms`,
    );
  }
});

// ---------------------------------------------------------------------------
// Against real local servers.

type Handler = (req: globalThis.Request) => Response | Promise<Response>;

const TIMEOUT = { timeout: 5 };

async function body(
  resp: { read(): Promise<Uint8Array>; close(): unknown },
): Promise<string> {
  try {
    return new TextDecoder().decode(await resp.read());
  } finally {
    await resp.close();
  }
}

/** Awaits a rejection with HTTPError, releases its body and returns it. */
async function httpError(promise: Promise<unknown>): Promise<HTTPError> {
  try {
    const resp = await promise as { close(): unknown };
    await resp.close();
  } catch (error) {
    if (!(error instanceof HTTPError)) throw error;
    await error.fp?.close();
    return error;
  }
  throw new Error("expected HTTPError");
}

function basicServer(
  users: Record<string, string>,
  seen: (string | null)[],
  challenge = 'Basic realm="Admin area"',
): Handler {
  return (req) => {
    const auth = req.headers.get("authorization");
    seen.push(auth);
    for (const [user, pw] of Object.entries(users)) {
      if (auth === `Basic ${btoa(`${user}:${pw}`)}`) {
        return new Response(`hello ${user}`);
      }
    }
    return new Response("denied", {
      status: 401,
      headers: { "WWW-Authenticate": challenge },
    });
  };
}

Deno.test("HTTPBasicAuthHandler: 401, then one retry with the credentials", async () => {
  const seen: (string | null)[] = [];
  await withServer(basicServer({ alice: "s3cret" }, seen), async (base) => {
    const handler = new HTTPBasicAuthHandler();
    handler.add_password("Admin area", `${base}/private/`, "alice", "s3cret");
    const opener = build_opener(handler);
    equal(
      await body(await opener.open(`${base}/private/page`, TIMEOUT)),
      "hello alice",
    );
    deepEqual(seen, [null, `Basic ${btoa("alice:s3cret")}`]);
  });
});

Deno.test("HTTPBasicAuthHandler: wrong credentials end in HTTPError 401 after one retry", async () => {
  const seen: (string | null)[] = [];
  await withServer(basicServer({ alice: "s3cret" }, seen), async (base) => {
    const handler = new HTTPBasicAuthHandler(
      new HTTPPasswordMgrWithDefaultRealm(),
    );
    handler.add_password(null, base, "alice", "wrong");
    const error = await httpError(
      build_opener(handler).open(`${base}/x`, TIMEOUT),
    );
    equal(error.code, 401);
    equal(seen.length, 2);
  });
});

Deno.test("HTTPBasicAuthHandler: no credentials for the realm, no retry", async () => {
  const seen: (string | null)[] = [];
  await withServer(basicServer({ alice: "s3cret" }, seen), async (base) => {
    const handler = new HTTPBasicAuthHandler();
    handler.add_password("Another realm", base, "alice", "s3cret");
    const error = await httpError(
      build_opener(handler).open(`${base}/x`, TIMEOUT),
    );
    equal(error.code, 401);
    deepEqual(seen, [null]);
  });
});

Deno.test("HTTPBasicAuthHandler: non-ASCII credentials are sent as UTF-8", async () => {
  const seen: (string | null)[] = [];
  const expected = `Basic ${
    btoa(String.fromCharCode(...new TextEncoder().encode("jörg:pässwörd")))
  }`;
  await withServer((req) => {
    seen.push(req.headers.get("authorization"));
    return req.headers.get("authorization") === expected
      ? new Response("ok")
      : new Response("no", {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="r"' },
      });
  }, async (base) => {
    const handler = new HTTPBasicAuthHandler();
    handler.add_password("r", base, "jörg", "pässwörd");
    equal(await body(await build_opener(handler).open(base, TIMEOUT)), "ok");
  });
  equal(seen.length, 2);
});

Deno.test("Basic and Digest handlers reject a scheme they cannot answer", async () => {
  await withServer(
    () =>
      new Response("", {
        status: 401,
        headers: { "WWW-Authenticate": "NTLM" },
      }),
    async (base) => {
      const basic = build_opener(new HTTPBasicAuthHandler());
      await rejects(basic.open(base, TIMEOUT), {
        name: "RangeError",
        // Python's message names the class that raises it.
        message:
          "AbstractBasicAuthHandler does not support the following scheme: 'NTLM'",
      });
    },
  );
  await withServer(
    () =>
      new Response("", {
        status: 401,
        headers: { "WWW-Authenticate": "Kerb'eros" },
      }),
    async (base) => {
      const digest = build_opener(new HTTPDigestAuthHandler());
      await rejects(digest.open(base, TIMEOUT), {
        name: "RangeError",
        message:
          // Between plain quotes here, where the Basic handler shows a repr.
          "AbstractDigestAuthHandler does not support the following scheme: 'Kerb'eros'",
      });
    },
  );
});

Deno.test("a 60 kB hostile challenge from a server is handled at once", async () => {
  const challenge = "Basic " + ", ".repeat(30_000) + ".";
  await withServer(
    () =>
      new Response("", {
        status: 401,
        headers: { "WWW-Authenticate": challenge },
      }),
    async (base) => {
      const handler = new HTTPBasicAuthHandler();
      handler.add_password("r", base, "u", "p");
      const start = performance.now();
      const error = await httpError(build_opener(handler).open(base, TIMEOUT));
      equal(error.code, 401);
      ok(performance.now() - start < 1000);
    },
  );
});

// A digest-checking server (RFC 2617 / RFC 7616), written independently of
// the module under test.

interface DigestServerOptions {
  realm?: string;
  algorithm?: "MD5" | "SHA" | "SHA-256" | null;
  qop?: string | null;
  users?: Record<string, string>;
  opaque?: string;
}

function hashHex(algorithm: string, text: string): string {
  const name =
    { "MD5": "md5", "SHA": "sha1", "SHA-256": "sha256" }[algorithm] ?? "md5";
  return createHash(name).update(text).digest("hex");
}

function authParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/([\w-]+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    params[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return params;
}

function digestServer(
  options: DigestServerOptions,
  log: { auth: string | null; ok: boolean }[],
): Handler {
  const realm = options.realm ?? "digest@test";
  const algorithm = options.algorithm === undefined ? "MD5" : options.algorithm;
  const qop = options.qop === undefined ? "auth" : options.qop;
  const users = options.users ?? { alice: "s3cret" };
  const nonce = crypto.randomUUID().replaceAll("-", "");
  let lastNc = 0;
  const challenge = [
    `Digest realm="${realm}"`,
    `nonce="${nonce}"`,
    ...(qop === null ? [] : [`qop="${qop}"`]),
    ...(algorithm === null ? [] : [`algorithm=${algorithm}`]),
    ...(options.opaque ? [`opaque="${options.opaque}"`] : []),
  ].join(", ");
  const verify = (req: globalThis.Request, header: string): boolean => {
    if (!header.startsWith("Digest ")) return false;
    const p = authParams(header);
    const password = users[p["username"] ?? ""];
    const url = new URL(req.url);
    const algo = algorithm ?? "MD5";
    if (
      password === undefined || p["realm"] !== realm || p["nonce"] !== nonce
    ) return false;
    if (p["uri"] !== url.pathname + url.search) return false;
    if (options.opaque && p["opaque"] !== options.opaque) return false;
    const ha1 = hashHex(algo, `${p["username"]}:${realm}:${password}`);
    const ha2 = hashHex(algo, `${req.method}:${p["uri"]}`);
    if (qop === null) {
      return p["response"] === hashHex(algo, `${ha1}:${nonce}:${ha2}`);
    }
    if (p["qop"] !== "auth" || !/^[0-9a-f]{8}$/.test(p["nc"] ?? "")) {
      return false;
    }
    const nc = parseInt(p["nc"]!, 16);
    // A replayed or reused nonce count is refused.
    if (nc <= lastNc) return false;
    const expected = hashHex(
      algo,
      `${ha1}:${nonce}:${p["nc"]}:${p["cnonce"]}:auth:${ha2}`,
    );
    if (p["response"] !== expected) return false;
    lastNc = nc;
    return true;
  };
  return (req) => {
    const auth = req.headers.get("authorization");
    const ok = auth !== null && verify(req, auth);
    log.push({ auth, ok });
    if (ok) return new Response(`welcome ${authParams(auth!)["username"]}`);
    return new Response("denied", {
      status: 401,
      headers: { "WWW-Authenticate": challenge },
    });
  };
}

for (
  const [label, options] of [
    ["MD5 with qop=auth", {}],
    ["SHA-256 with qop=auth", { algorithm: "SHA-256" }],
    ["SHA with qop=auth", { algorithm: "SHA" }],
    ["MD5 without qop (RFC 2069)", { qop: null }],
    ["no algorithm given, qop list", { algorithm: null, qop: "auth,auth-int" }],
    ["with opaque", { opaque: "5ccc069c403ebaf9f0171e9517f40e41" }],
  ] as [string, DigestServerOptions][]
) {
  Deno.test(`HTTPDigestAuthHandler: ${label}`, async () => {
    const log: { auth: string | null; ok: boolean }[] = [];
    await withServer(digestServer(options, log), async (base) => {
      const mgr = new HTTPPasswordMgrWithDefaultRealm();
      mgr.add_password(null, base, "alice", "s3cret");
      const handler = new HTTPDigestAuthHandler(mgr);
      const opener = build_opener(handler);
      equal(
        await body(await opener.open(`${base}/docs/a?b=c`, TIMEOUT)),
        "welcome alice",
      );
      // A second request through the same opener counts the same nonce up.
      equal(
        await body(await opener.open(`${base}/docs/d`, TIMEOUT)),
        "welcome alice",
      );
      deepEqual(log.map((e) => e.ok), [false, true, false, true]);
      if (options.qop !== null) {
        deepEqual(
          log.filter((e) => e.ok).map((e) => authParams(e.auth!)["nc"]),
          ["00000001", "00000002"],
        );
      }
      equal(handler.retried, 0);
    });
  });
}

Deno.test("HTTPDigestAuthHandler: a wrong password gives up after Python's six retries", async () => {
  const log: { auth: string | null; ok: boolean }[] = [];
  await withServer(digestServer({}, log), async (base) => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.add_password(null, base, "alice", "wrong");
    const handler = new HTTPDigestAuthHandler(mgr);
    const opener = build_opener(handler);
    const error = await httpError(opener.open(base, TIMEOUT));
    equal(error.code, 401);
    equal(error.msg, "digest auth failed");
    equal(log.length, 7);
    // The count starts afresh, so the handler works again with the right password.
    equal(handler.retried, 0);
    mgr.add_password(null, base, "alice", "s3cret");
    equal(await body(await opener.open(base, TIMEOUT)), "welcome alice");
  });
});

Deno.test("HTTPDigestAuthHandler: an unsupported algorithm is refused", async () => {
  await withServer(
    () =>
      new Response("", {
        status: 401,
        headers: {
          "WWW-Authenticate":
            'Digest realm="r", nonce="n", algorithm=MD5-sess-X',
        },
      }),
    async (base) => {
      const mgr = new HTTPPasswordMgrWithDefaultRealm();
      mgr.add_password(null, base, "u", "p");
      await rejects(
        build_opener(new HTTPDigestAuthHandler(mgr)).open(base, TIMEOUT),
        RangeError,
      );
    },
  );
});

Deno.test("Digest runs before Basic, and Basic still answers when Digest cannot", async () => {
  const basicSeen: (string | null)[] = [];
  await withServer(basicServer({ bob: "pw" }, basicSeen), async (base) => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.add_password(null, base, "bob", "pw");
    const order: string[] = [];
    class RecordingDigest extends HTTPDigestAuthHandler {
      override http_error_401(
        ...args: Parameters<HTTPDigestAuthHandler["http_error_401"]>
      ) {
        order.push("digest");
        return super.http_error_401(...args);
      }
    }
    class RecordingBasic extends HTTPBasicAuthHandler {
      override http_error_401(
        ...args: Parameters<HTTPBasicAuthHandler["http_error_401"]>
      ) {
        order.push("basic");
        return super.http_error_401(...args);
      }
    }
    const opener = build_opener(
      new RecordingBasic(mgr),
      new RecordingDigest(mgr),
    );
    equal(await body(await opener.open(base, TIMEOUT)), "hello bob");
    deepEqual(order, ["digest", "basic"]);
  });
  const log: { auth: string | null; ok: boolean }[] = [];
  await withServer(digestServer({}, log), async (base) => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.add_password(null, base, "alice", "s3cret");
    const opener = build_opener(
      new HTTPBasicAuthHandler(mgr),
      new HTTPDigestAuthHandler(mgr),
    );
    equal(await body(await opener.open(base, TIMEOUT)), "welcome alice");
  });
});

Deno.test("a server that keeps changing its challenge is answered a bounded number of times, then its 401 is the HTTPError", async () => {
  // Realm A, then B, then A ...: each answer differs from the last, so the
  // same-credentials check never stops it; nor does Digest's count, which
  // each Basic round starts afresh. CPython ends in RecursionError after
  // about 140 requests; this looped for ever, holding every 401 open.
  for (const mixed of [false, true]) {
    let requests = 0;
    await withServer((_req) => {
      requests++;
      const challenge = requests % 2 === 0
        ? 'Basic realm="A"'
        : mixed
        ? `Digest realm="A", nonce="n${requests}", qop="auth"`
        : 'Basic realm="B"';
      return new Response("denied", {
        status: 401,
        headers: { "WWW-Authenticate": challenge },
      });
    }, async (base) => {
      const mgr = new HTTPPasswordMgrWithDefaultRealm();
      mgr.add_password(mixed ? null : "A", base, "a", "1");
      if (!mixed) mgr.add_password("B", base, "b", "2");
      const opener = build_opener(
        new HTTPBasicAuthHandler(mgr),
        new HTTPDigestAuthHandler(mgr),
      );
      await rejects(opener.open(base, TIMEOUT), (e: unknown) => {
        if (!mixed) {
          ok(e instanceof HTTPError, String(e));
          equal(e.code, 401);
        } else {
          // The last challenge is Digest, refused: Basic cannot answer it.
          ok(e instanceof RangeError, String(e));
          equal(
            e.message,
            "AbstractBasicAuthHandler does not support the following scheme: 'Digest'",
          );
        }
        return true;
      });
    });
    ok(requests > 2 && requests <= 30, `${requests} requests`);
  }
});

Deno.test("prior auth: credentials marked authenticated go with the first request", async () => {
  const seen: (string | null)[] = [];
  await withServer((req) => {
    seen.push(req.headers.get("authorization"));
    // Like APIs that answer 404 rather than 401 to anonymous requests.
    return req.headers.get("authorization") === `Basic ${btoa("wile:coyote")}`
      ? new Response("data")
      : new Response("not found", { status: 404 });
  }, async (base) => {
    const mgr = new HTTPPasswordMgrWithPriorAuth();
    const handler = new HTTPBasicAuthHandler(mgr);
    handler.add_password(null, `${base}/api`, "wile", "coyote", {
      is_authenticated: true,
    });
    equal(
      await body(
        await build_opener(handler).open(`${base}/api/items`, TIMEOUT),
      ),
      "data",
    );
    deepEqual(seen, [`Basic ${btoa("wile:coyote")}`]);
  });
});

Deno.test("prior auth: after one success the credentials are sent up front", async () => {
  const seen: (string | null)[] = [];
  await withServer(
    basicServer({ wile: "coyote" }, seen, 'Basic realm="ACME"'),
    async (base) => {
      const mgr = new HTTPPasswordMgrWithPriorAuth();
      const handler = new HTTPBasicAuthHandler(mgr);
      handler.add_password("ACME", `${base}/a`, "wile", "coyote");
      equal(mgr.is_authenticated(`${base}/a`), false);
      const opener = build_opener(handler);
      await body(await opener.open(`${base}/a`, TIMEOUT));
      deepEqual(seen, [null, `Basic ${btoa("wile:coyote")}`]);
      equal(mgr.is_authenticated(`${base}/a`), true);
      seen.length = 0;
      await body(await opener.open(`${base}/a`, TIMEOUT));
      deepEqual(seen, [`Basic ${btoa("wile:coyote")}`]);
    },
  );
});

Deno.test("ProxyBasicAuthHandler answers a proxy's 407", async () => {
  const seen: { target: string; auth: string | null }[] = [];
  const expected = `Basic ${btoa("me:proxypw")}`;
  await withServer((req) => {
    const auth = req.headers.get("proxy-authorization");
    seen.push({ target: req.url, auth });
    if (auth !== expected) {
      return new Response("proxy auth", {
        status: 407,
        headers: { "Proxy-Authenticate": 'Basic realm="proxy"' },
      });
    }
    return new Response(`proxied ${new URL(req.url).pathname}`);
  }, async (proxy) => {
    const proxyHostPort = proxy.slice("http://".length);
    const auth = new ProxyBasicAuthHandler();
    auth.add_password("proxy", proxyHostPort, "me", "proxypw");
    const opener = build_opener(new ProxyHandler({ http: proxy }), auth);
    equal(
      await body(await opener.open("http://origin.test/page", TIMEOUT)),
      "proxied /page",
    );
    deepEqual(seen.map((s) => s.auth), [null, expected]);
    ok(seen.every((s) => s.target === "http://origin.test/page"));
  });
});

Deno.test("credentials in a proxy URL may hold a '/': the authority ends after the '@'", async () => {
  const seen: (string | null)[] = [];
  await withServer((req) => {
    seen.push(req.headers.get("proxy-authorization"));
    return new Response(`proxied ${new URL(req.url).pathname}`);
  }, async (proxy) => {
    // Python 3.13: _parse_proxy("http://me:pa/ss@host:port") has password
    // "pa/ss"; the host was "me:pa" (an InvalidURL) before.
    const withSlash = proxy.replace("http://", "http://me:pa/ss@");
    const opener = build_opener(new ProxyHandler({ http: withSlash }));
    equal(
      await body(await opener.open("http://origin.test/page", TIMEOUT)),
      "proxied /page",
    );
    deepEqual(seen, [`Basic ${btoa("me:pa/ss")}`]);
  });
});

Deno.test("ProxyBasicAuthHandler: wrong proxy credentials end in HTTPError 407", async () => {
  let count = 0;
  await withServer(() => {
    count++;
    return new Response("", {
      status: 407,
      headers: { "Proxy-Authenticate": 'Basic realm="proxy"' },
    });
  }, async (proxy) => {
    const auth = new ProxyBasicAuthHandler();
    auth.add_password("proxy", proxy.slice("http://".length), "me", "bad");
    const opener = build_opener(new ProxyHandler({ http: proxy }), auth);
    equal(
      (await httpError(opener.open("http://origin.test/", TIMEOUT))).code,
      407,
    );
    equal(count, 2);
  });
});

Deno.test({
  name: "ProxyBasicAuthHandler answers a real tinyproxy's 407",
  ignore: !haveTinyproxy(),
}, async () => {
  await using proxy = await startTinyproxy({ user: "me", password: "proxypw" });
  await withServer(
    (req) => new Response(`origin saw ${new URL(req.url).pathname}`),
    async (base) => {
      const auth = new ProxyBasicAuthHandler(
        new HTTPPasswordMgrWithDefaultRealm(),
      );
      auth.add_password(null, `127.0.0.1:${proxy.port}`, "me", "proxypw");
      const opener = build_opener(new ProxyHandler({ http: proxy.url }), auth);
      equal(
        await body(await opener.open(`${base}/through`, TIMEOUT)),
        "origin saw /through",
      );

      const wrong = new ProxyBasicAuthHandler(
        new HTTPPasswordMgrWithDefaultRealm(),
      );
      wrong.add_password(null, `127.0.0.1:${proxy.port}`, "me", "nope");
      const refused = build_opener(
        new ProxyHandler({ http: proxy.url }),
        wrong,
      );
      // tinyproxy answers refused credentials with 401 (not a second 407);
      // either way the handler does not loop.
      const code =
        (await httpError(refused.open(`${base}/through`, TIMEOUT))).code;
      ok(code === 401 || code === 407, String(code));
    },
  );
});

Deno.test("ProxyDigestAuthHandler answers a proxy's Digest 407", async () => {
  const nonce = crypto.randomUUID();
  const seen: (string | null)[] = [];
  await withServer((req) => {
    const header = req.headers.get("proxy-authorization");
    seen.push(header);
    if (header?.startsWith("Digest ")) {
      const p = authParams(header);
      const ha1 = hashHex("MD5", `me:proxy:pw`);
      // Through a proxy the selector (and so the digest uri) is the full URL.
      const ha2 = hashHex("MD5", `GET:${p["uri"]}`);
      const expected = hashHex(
        "MD5",
        `${ha1}:${nonce}:${p["nc"]}:${p["cnonce"]}:auth:${ha2}`,
      );
      if (p["uri"] === req.url && p["response"] === expected) {
        return new Response("via proxy");
      }
    }
    return new Response("", {
      status: 407,
      headers: {
        "Proxy-Authenticate":
          `Digest realm="proxy", nonce="${nonce}", qop="auth"`,
      },
    });
  }, async (proxy) => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.add_password(null, "http://origin.test/", "me", "pw");
    const opener = build_opener(
      new ProxyHandler({ http: proxy }),
      new ProxyDigestAuthHandler(mgr),
    );
    equal(
      await body(await opener.open("http://origin.test/doc", TIMEOUT)),
      "via proxy",
    );
    equal(seen.length, 2);
  });
});

// ---------------------------------------------------------------------------
// Differential: CPython's urllib against the same local servers.

interface Outcome {
  status: number | null;
  error: number | null;
  msg: string | null;
  requests: number;
}

const PY_CLIENT = `
import json, sys, urllib.request, urllib.error
cfg = json.load(sys.stdin)
mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
mgr.add_password(None, cfg["url"], cfg["user"], cfg["password"])
handler = {"basic": urllib.request.HTTPBasicAuthHandler,
           "digest": urllib.request.HTTPDigestAuthHandler}[cfg["kind"]](mgr)
opener = urllib.request.build_opener(handler)
try:
    with opener.open(cfg["url"], timeout=5) as r:
        print(json.dumps({"status": r.status, "error": None, "msg": None}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": None, "error": e.code, "msg": e.reason}))
`;

function runPython(
  cfg: Record<string, string>,
): Promise<Omit<Outcome, "requests">> {
  return pythonJson(PY_CLIENT, { input: cfg });
}

async function runOurs(
  cfg: Record<string, string>,
): Promise<Omit<Outcome, "requests">> {
  const mgr = new HTTPPasswordMgrWithDefaultRealm();
  mgr.add_password(null, cfg["url"]!, cfg["user"]!, cfg["password"]!);
  const handler = cfg["kind"] === "basic"
    ? new HTTPBasicAuthHandler(mgr)
    : new HTTPDigestAuthHandler(mgr);
  try {
    const resp = await build_opener(handler).open(cfg["url"]!, TIMEOUT);
    await resp.close();
    return { status: resp.status, error: null, msg: null };
  } catch (error) {
    if (!(error instanceof HTTPError)) throw error;
    await error.fp?.close();
    return { status: null, error: error.code, msg: error.reason };
  }
}

Deno.test({
  name: "Basic and Digest outcomes match CPython 3.13 against the same servers",
  ignore: !havePython313(),
}, async () => {
  const scenarios: [string, () => Handler, Record<string, string>][] = [
    ["basic, right password", () => basicServer({ u: "pw" }, []), {
      kind: "basic",
      password: "pw",
    }],
    ["basic, wrong password", () => basicServer({ u: "pw" }, []), {
      kind: "basic",
      password: "no",
    }],
    ["digest, right password", () => digestServer({ users: { u: "pw" } }, []), {
      kind: "digest",
      password: "pw",
    }],
    [
      "digest without qop",
      () => digestServer({ users: { u: "pw" }, qop: null }, []),
      {
        kind: "digest",
        password: "pw",
      },
    ],
    ["digest, wrong password", () => digestServer({ users: { u: "pw" } }, []), {
      kind: "digest",
      password: "no",
    }],
  ];
  for (const [name, makeHandler, cfg] of scenarios) {
    const results: Outcome[] = [];
    for (const client of [runPython, runOurs]) {
      let requests = 0;
      const handler = makeHandler();
      let result = null as Omit<Outcome, "requests"> | null;
      await withServer((req) => {
        requests++;
        return handler(req);
      }, async (base) => {
        result = await client({ ...cfg, url: `${base}/area/page`, user: "u" });
      });
      ok(result !== null, `${name}: no outcome`);
      results.push({ ...result, requests });
    }
    deepEqual(results[1], results[0], name);
  }
});

// A documented difference: Digest for a URL with no path works here and
// fails in CPython, which digests uri="" while sending "GET /", so a
// checking server refuses it.
const NO_PATH_DIGEST = { kind: "digest", user: "u", password: "pw" };

Deno.test("documented difference: Digest for a URL with no path works here", async () => {
  await withServer(digestServer({ users: { u: "pw" } }, []), async (base) => {
    deepEqual(await runOurs({ ...NO_PATH_DIGEST, url: base }), {
      status: 200,
      error: null,
      msg: null,
    });
  });
});

Deno.test({
  name: "documented difference: Digest for a URL with no path fails in CPython",
  ignore: !havePython313(),
}, async () => {
  await withServer(digestServer({ users: { u: "pw" } }, []), async (base) => {
    deepEqual(await runPython({ ...NO_PATH_DIGEST, url: base }), {
      status: null,
      error: 401,
      msg: "digest auth failed",
    });
  });
});

Deno.test("HTTPDigestAuthHandler: a POST is answered for POST and its body re-sent", async () => {
  const log: { auth: string | null; ok: boolean }[] = [];
  const bodies: string[] = [];
  const check = digestServer({}, log);
  await withServer(async (req) => {
    bodies.push(await req.text());
    return check(req);
  }, async (base) => {
    const mgr = new HTTPPasswordMgrWithDefaultRealm();
    mgr.add_password(null, base, "alice", "s3cret");
    const opener = build_opener(new HTTPDigestAuthHandler(mgr));
    const req = new Request(`${base}/form`, {
      data: new TextEncoder().encode("a=1&b=2"),
    });
    equal(await body(await opener.open(req, TIMEOUT)), "welcome alice");
    deepEqual(bodies, ["a=1&b=2", "a=1&b=2"]);
    deepEqual(log.map((e) => e.ok), [false, true]);
  });
});

Deno.test("HTTPDigestAuthHandler: a qop without auth (auth-int only) is a URLError", async () => {
  await withServer(
    () =>
      new Response("", {
        status: 401,
        headers: {
          "WWW-Authenticate": 'Digest realm="r", nonce="n", qop="auth-int"',
        },
      }),
    async (base) => {
      const mgr = new HTTPPasswordMgrWithDefaultRealm();
      mgr.add_password(null, base, "u", "p");
      await rejects(
        build_opener(new HTTPDigestAuthHandler(mgr)).open(base, TIMEOUT),
        (e) =>
          e instanceof URLError && !(e instanceof HTTPError) &&
          /auth-int/.test(String(e.reason)),
      );
    },
  );
});

Deno.test("a file body on an authentication retry: sent empty, at its end, as Python sends it (it failed with BadResource, the request cut short)", async () => {
  const heads: string[] = [];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for await (const conn of listener) {
      let raw = "";
      const buffer = new Uint8Array(65536);
      // A chunked body ends with its last chunk.
      while (!raw.endsWith("0\r\n\r\n")) {
        const n = await conn.read(buffer);
        if (n === null) break;
        raw += new TextDecoder().decode(buffer.subarray(0, n));
      }
      heads.push(raw);
      const reply = raw.includes("\r\nAuthorization: Basic ")
        ? "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"
        : 'HTTP/1.0 401 No\r\nWWW-Authenticate: Basic realm="r"\r\nContent-Length: 0\r\n\r\n';
      await conn.write(new TextEncoder().encode(reply));
      conn.close();
      if (heads.length === 2) break;
    }
  })();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/body.txt`, "file body");
    const url = `http://127.0.0.1:${listener.addr.port}/up`;
    const passwords = new HTTPPasswordMgrWithDefaultRealm();
    passwords.add_password(null, url, "u", "p");
    const opener = build_opener(new HTTPBasicAuthHandler(passwords));
    const file = await Deno.open(`${dir}/body.txt`);
    const resp = await opener.open(new Request(url, { data: file }));
    equal(new TextDecoder().decode(await resp.read()), "ok");
    ok(heads[0]!.endsWith("9\r\nfile body\r\n0\r\n\r\n"), heads[0]);
    ok(heads[1]!.endsWith("\r\n\r\n0\r\n\r\n"), heads[1]);
  } finally {
    // Leaving its loop closed the listener, unless the test failed first.
    try {
      listener.close();
    } catch {
      // Closed.
    }
    await serving.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
