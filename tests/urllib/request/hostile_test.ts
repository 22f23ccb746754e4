/**
 * urlopen against a hostile server on a raw socket: floods of folded,
 * colonless or endless header lines, lines without end, cut bodies, bare
 * CRs and bad status lines. Each case checks the exception class (and
 * `partial`), and that the client stopped reading: the server counts the
 * bytes that left it, which stay a small bound however much it tries to
 * send.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  BadStatusLine,
  HTTPException,
  IncompleteRead,
  LineTooLong,
  UnknownProtocol,
  URLError,
} from "../../../urllib/error.ts";
import {
  build_opener,
  HTTPResponse,
  ProxyHandler,
  Request,
  urlopen,
} from "../../../urllib/request/mod.ts";
import { UnicodeEncodeError } from "../../../_util/codec/mod.ts";
import { repeated, startHostile } from "./_hostile.ts";

const decoder = new TextDecoder();
const OK = "HTTP/1.1 200 OK\r\n";
// What a client that stops in time lets through: its 6.5 MiB of lines at
// most, plus the socket buffers of both ends.
const BOUND = 24 << 20;
// What each flood tries to send: far more than a bounded client takes.
const FLOOD = 160 << 20;

/** What `_hostile_child.ts` reports of its run. */
interface ChildReport {
  error: string;
  bytes: number;
  peakRssMiB: number;
}

/** Runs `_hostile_child.ts` on `url` (reading as `how` says) in its own process. */
async function runChild(url: string, how = "read"): Promise<ChildReport> {
  const child = new URL("./_hostile_child.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", child, url, how],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  equal(out.success, true, decoder.decode(out.stderr));
  return JSON.parse(decoder.decode(out.stdout)) as ChildReport;
}

/** Asserts that `call` rejects with `cls` and that its message matches. */
async function rejectsWith(
  call: Promise<unknown>,
  cls: abstract new (...args: never[]) => Error,
  message: RegExp,
): Promise<void> {
  await rejects(call, (e: unknown) => {
    ok(e instanceof cls, `${String(e)} is not a ${cls.name}`);
    ok(message.test((e as Error).message), (e as Error).message);
    return true;
  });
}

Deno.test("folded header lines count toward http.client's 100 lines, and joining them stays bounded", async () => {
  let stopped = false;
  await using server = startHostile(async (wire) => {
    await wire.write(`${OK}X-A: a\r\n`);
    stopped = await wire.flood(repeated(` ${"b".repeat(1000)}\r\n`, 64), FLOOD);
  });
  await rejectsWith(
    urlopen(server.url),
    HTTPException,
    /^got more than 100 headers$/,
  );
  await server.close();
  ok(stopped, "the client kept reading the folds");
  ok(server.sent < BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("a flood of lines without a colon is refused at the first one", async () => {
  await using server = startHostile(async (wire) => {
    await wire.write(OK);
    await wire.flood(repeated("no colon here\r\n", 4096), FLOOD);
  });
  await rejectsWith(
    urlopen(server.url),
    HTTPException,
    /^invalid header line 'no colon here'$/,
  );
  await server.close();
  ok(server.sent < BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("a server that never stops sending headers: at most 100 lines", async () => {
  await using server = startHostile(async (wire) => {
    await wire.write(OK);
    await wire.flood(repeated("X-Again: and again\r\n", 4096), FLOOD);
  });
  await rejectsWith(
    urlopen(server.url),
    HTTPException,
    /^got more than 100 headers$/,
  );
  await server.close();
  ok(server.sent < BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("99 header lines are read, 100 are too many (the blank line counts, as in http.client)", async () => {
  const block = (n: number) =>
    Array.from({ length: n }, (_, i) => `X-${i}: ${i}\r\n`).join("");
  await using server = startHostile(async (wire) => {
    const n = wire.request.startsWith("GET /99") ? 98 : 99;
    await wire.write(`${OK}Content-Length: 2\r\n${block(n)}\r\nok`);
  });
  const resp = await urlopen(`${server.url}99`);
  equal(resp.headers.get("X-97"), "97");
  equal(resp.headers.items().length, 99);
  equal(decoder.decode(await resp.read()), "ok");
  await rejectsWith(
    urlopen(`${server.url}100`),
    HTTPException,
    /^got more than 100 headers$/,
  );
});

Deno.test("lines without end: LineTooLong after 65,536 bytes of a status, header, chunk-size or trailer line", async () => {
  const endless = repeated("x", 65536);
  await using server = startHostile(async (wire) => {
    const path = wire.request.split(" ")[1];
    const chunked = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
    if (path === "/status") await wire.write("HTTP/1.1 200 ");
    if (path === "/header") await wire.write(`${OK}X-Long: `);
    if (path === "/size") await wire.write(`${chunked}5\r\nhello\r\n`);
    if (path === "/trailer") await wire.write(`${chunked}5\r\nhello\r\n0\r\n`);
    await wire.flood(endless, FLOOD);
  });
  for (
    const [path, what] of [
      ["status", "status line"],
      ["header", "header line"],
    ]
  ) {
    await rejectsWith(
      urlopen(server.url + path),
      LineTooLong,
      new RegExp(`^got more than 65536 bytes when reading ${what}$`),
    );
  }
  for (
    const [path, what] of [
      ["size", "chunk size"],
      ["trailer", "trailer line"],
    ]
  ) {
    const resp = await urlopen(server.url + path);
    await rejectsWith(
      resp.read(),
      LineTooLong,
      new RegExp(`^got more than 65536 bytes when reading ${what}$`),
    );
  }
  await server.close();
  ok(server.sent < 4 * BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("endless trailers and endless 100 Continue replies are cut off", async () => {
  await using server = startHostile(async (wire) => {
    if (wire.request.startsWith("GET /trailer")) {
      await wire.write(
        `${OK}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n`,
      );
      await wire.flood(repeated("X-T: t\r\n", 4096), FLOOD);
    } else {
      await wire.flood(
        repeated("HTTP/1.1 100 Continue\r\n\r\n", 4096),
        FLOOD,
      );
    }
  });
  const resp = await urlopen(`${server.url}trailer`);
  await rejectsWith(
    resp.read(),
    HTTPException,
    /^got more than 100 trailer lines$/,
  );
  await rejectsWith(
    urlopen(`${server.url}continue`),
    HTTPException,
    /^got more than 100 interim responses$/,
  );
  await server.close();
  ok(server.sent < 2 * BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("a redirect whose body never ends is followed after at most 1 MiB of it", async () => {
  await using server = startHostile(async (wire) => {
    if (wire.request.startsWith("GET /moved")) {
      await wire.write(`HTTP/1.1 302 Found\r\nLocation: /here\r\n\r\n`);
      await wire.flood(repeated("z", 65536), FLOOD);
    } else {
      await wire.write(`${OK}Content-Length: 4\r\n\r\nhere`);
    }
  });
  const resp = await urlopen(`${server.url}moved`);
  equal(decoder.decode(await resp.read()), "here");
  await server.close();
  ok(server.sent < BOUND, `the client took ${server.sent} bytes`);
});

Deno.test("a cut chunked body: IncompleteRead.partial holds the complete chunks, as Python's", async () => {
  const head = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
  await using server = startHostile(async (wire) => {
    const path = wire.request.split(" ")[1];
    if (path === "/mid-chunk") {
      await wire.write(`${head}5\r\nhello\r\n3\r\nabc\r\n10\r\nxy`);
    } else if (path === "/before-size") {
      await wire.write(`${head}5\r\nhello\r\n3\r\nabc\r\n`);
    } else if (path === "/bad-size") {
      await wire.write(`${head}5\r\nhello\r\nzz\r\n`);
    } else {
      await wire.write(`${OK}Content-Length: 10\r\n\r\nabc`);
    }
  });
  const partial = async (
    path: string,
    read: (r: Awaited<ReturnType<typeof urlopen>>) => Promise<unknown>,
  ) => {
    const resp = await urlopen(server.url + path);
    let caught: unknown = null;
    await read(resp).catch((e) => caught = e);
    ok(caught instanceof IncompleteRead, String(caught));
    return [decoder.decode(caught.partial), caught.expected];
  };
  deepEqual(await partial("mid-chunk", (r) => r.read()), ["helloabc", null]);
  deepEqual(await partial("before-size", (r) => r.read()), ["helloabc", null]);
  deepEqual(await partial("bad-size", (r) => r.read()), ["hello", null]);
  // A cut on a chunk-size line lets the connection go, as http.client
  // closes it there: no second error, later reads return nothing. Inside a
  // chunk every read throws again (http_test.ts).
  for (const path of ["before-size", "bad-size"]) {
    const resp = await urlopen(server.url + path);
    ok(resp instanceof HTTPResponse);
    await rejects(resp.read(), IncompleteRead);
    deepEqual(
      [resp.isclosed(), resp.closed, decoder.decode(await resp.read())],
      [true, false, ""],
    );
    deepEqual(
      [
        decoder.decode(await resp.read(4)),
        await resp.readinto(new Uint8Array(4)),
      ],
      ["", 0],
    );
    equal((await resp.readline()).length, 0);
  }
  // read(amt) and readinto() report what this call received, as Python's.
  deepEqual(
    await partial("mid-chunk", async (r) => {
      equal(decoder.decode(await r.read(3)), "hel");
      await r.read(100);
    }),
    ["loabc", null],
  );
  deepEqual(
    await partial("mid-chunk", (r) => r.readinto(new Uint8Array(64))),
    ["helloabc", null],
  );
  // Content-Length: every byte received, and how many were still expected.
  deepEqual(await partial("length", (r) => r.read()), ["abc", 7]);
});

Deno.test("a Content-Length far beyond what is sent: read() keeps what came, sized by the bytes, not by the header", async () => {
  const body = Uint8Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => i);
  await using server = startHostile(async (wire) => {
    const path = wire.request.split(" ")[1];
    if (path === "/exact") {
      await wire.write(`${OK}Content-Length: ${body.length}\r\n\r\n`);
      // In pieces, so that the buffer grows while the body arrives.
      for (let at = 0; at < body.length; at += 100_000) {
        await wire.write(body.subarray(at, at + 100_000));
      }
    } else {
      const length = path === "/huge" ? "99999999999999999999" : "5000000000";
      await wire.write(`${OK}Content-Length: ${length}\r\n\r\nok`);
    }
  });
  for (const path of ["huge", "big"]) {
    const resp = await urlopen(server.url + path);
    let caught: unknown = null;
    await resp.read().catch((e) => caught = e);
    ok(caught instanceof IncompleteRead, `${path}: ${String(caught)}`);
    equal(decoder.decode(caught.partial), "ok");
  }
  const resp = await urlopen(server.url + "exact");
  deepEqual(await resp.read(), body);
  // read(amt) is clipped to the announced rest, as in Python.
  const small = await urlopen(server.url + "exact");
  equal((await small.read(2 ** 40)).length, body.length);
});

Deno.test("edges as http.client 3.13 reads them: 65,536 bytes with the line end fit, 65,537 do not; chunk sizes with leading zeros; VT, FF and NBSP between status fields", async () => {
  const withEnd = (prefix: string, length: number) =>
    prefix + "x".repeat(length - prefix.length - 2) + "\r\n";
  const replies: Record<string, string> = {
    "/status-fits": `${
      withEnd("HTTP/1.1 200 ", 65536)
    }Content-Length: 2\r\n\r\nok`,
    "/status-over": `${
      withEnd("HTTP/1.1 200 ", 65537)
    }Content-Length: 2\r\n\r\nok`,
    "/header-fits": `${OK}${withEnd("X: ", 65536)}Content-Length: 2\r\n\r\nok`,
    "/header-over": `${OK}${withEnd("X: ", 65537)}Content-Length: 2\r\n\r\nok`,
    "/zeros":
      `${OK}Transfer-Encoding: chunked\r\n\r\n00000000000000005\r\nhello\r\n000\r\n\r\n`,
    "/vt": "HTTP/1.1\v200\vOK\r\nContent-Length: 2\r\n\r\nok",
    "/ff-nbsp": "HTTP/1.1\xa0200\f\x1cOK \x85\r\nContent-Length: 2\r\n\r\nok",
  };
  await using server = startHostile(async (wire) => {
    await wire.write(replies[wire.request.split(" ")[1] as string] ?? "");
  });
  const open = (path: string) => urlopen(server.url + path.slice(1));
  for (const path of ["/status-fits", "/header-fits"]) {
    const resp = await open(path);
    equal(decoder.decode(await resp.read()), "ok", path);
  }
  for (
    const [path, what] of [["/status-over", "status line"], [
      "/header-over",
      "header line",
    ]]
  ) {
    await rejectsWith(
      open(path!),
      LineTooLong,
      new RegExp(`^got more than 65536 bytes when reading ${what}$`),
    );
  }
  equal(decoder.decode(await (await open("/zeros")).read()), "hello");
  for (const path of ["/vt", "/ff-nbsp"]) {
    const resp = await open(path);
    equal(resp.status, 200, path);
    equal((resp as HTTPResponse).reason, "OK", path);
    equal(decoder.decode(await resp.read()), "ok", path);
  }
});

Deno.test("one rule for malformed lines: bare CR, NUL, whitespace before the colon are refused; whitespace-led first lines skipped", async () => {
  const replies: Record<string, string> = {
    "/bare-cr": `${OK}X-A: a\rX-Injected: 1\r\nContent-Length: 2\r\n\r\nok`,
    "/cr-before-crlf": `${OK}X-A: a\r\r\nContent-Length: 2\r\n\r\nok`,
    "/nul": `${OK}X-A: a\0b\r\nContent-Length: 2\r\n\r\nok`,
    "/space-colon": `${OK}Content-Length : 2\r\n\r\nok`,
    "/no-name": `${OK}: v\r\nContent-Length: 2\r\n\r\nok`,
    "/lead":
      `${OK} X-Lead: 1\r\n\tmore\r\nX-B: b\r\nContent-Length: 2\r\n\r\nok`,
    "/fold": `${OK}X-A: a\r\n b\r\n\t c \r\nContent-Length: 2\r\n\r\nok`,
    "/status-cr": "HTTP/1.1 200 O\rK\r\nContent-Length: 2\r\n\r\nok",
    "/status-blank": "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "/status-099": "HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok",
    "/status-1000": "HTTP/1.1 1000 High\r\nContent-Length: 2\r\n\r\nok",
    "/http2": "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "/http1x": "HTTP/1.x 200 OK\r\nContent-Length: 2\r\n\r\nok",
  };
  await using server = startHostile(async (wire) => {
    await wire.write(replies[wire.request.split(" ")[1] as string] ?? "");
  });
  const open = (path: string) => urlopen(server.url + path.slice(1));
  for (const path of ["/bare-cr", "/cr-before-crlf", "/nul"]) {
    await rejectsWith(open(path), HTTPException, /^invalid header line /);
  }
  await rejectsWith(
    open("/space-colon"),
    HTTPException,
    /^invalid header line 'Content-Length : 2'$/,
  );
  await rejectsWith(open("/no-name"), HTTPException, /^invalid header line/);
  const lead = await open("/lead");
  deepEqual(lead.headers.items(), [["X-B", "b"], ["Content-Length", "2"]]);
  equal(decoder.decode(await lead.read()), "ok");
  const fold = await open("/fold");
  equal(fold.headers.get("X-A"), "a b c");
  await fold.read();
  await rejectsWith(
    open("/status-cr"),
    BadStatusLine,
    /^HTTP\/1.1 200 O\rK\r\n$/,
  );
  // As Python: the line as read, its line end included; a blank line is
  // not the end of the stream (that one reads '').
  await rejects(open("/status-blank"), (e: unknown) => {
    ok(e instanceof BadStatusLine);
    equal(e.line, "\r\n");
    equal(e.message, "\r\n");
    return true;
  });
  await rejectsWith(open("/status-099"), BadStatusLine, /099/);
  await rejectsWith(open("/status-1000"), BadStatusLine, /1000/);
  await rejectsWith(open("/http2"), UnknownProtocol, /^HTTP\/2.0$/);
  const http1x = await open("/http1x");
  equal((http1x as HTTPResponse).version, 11);
  await http1x.read();
});

Deno.test("a header value beyond Latin-1 is Python's UnicodeEncodeError, before anything is sent", async () => {
  await using server = startHostile(async (wire) => {
    await wire.write(`${OK}Content-Length: 0\r\n\r\n`);
  });
  await rejects(
    urlopen(new Request(server.url, { headers: { "X-Price": "5 €" } })),
    (e: unknown) => {
      ok(e instanceof UnicodeEncodeError);
      equal(
        e.message,
        "'latin-1' codec can't encode character '\\u20ac' in position 2: ordinal not in range(256)",
      );
      return true;
    },
  );
  equal(server.sent, 0);
});

Deno.test("timeout 0 means a non-blocking socket: URLError(BlockingIOError) every time, as CPython", async () => {
  let connections = 0;
  await using server = startHostile(async (wire) => {
    connections += 1;
    await wire.write(`${OK}Content-Length: 0\r\n\r\n`);
  });
  for (let i = 0; i < 5; i++) {
    await rejects(urlopen(server.url, { timeout: 0 }), (e: unknown) => {
      ok(e instanceof URLError, String(e));
      ok(e.reason instanceof Deno.errors.WouldBlock, String(e.reason));
      equal(e.message, "<urlopen error [Errno 115] Operation now in progress>");
      return true;
    });
  }
  equal(connections, 0);
});

Deno.test("a proxy refusing CONNECT with 407: URLError whose reason is Python's OSError", async () => {
  await using proxy = startHostile(async (wire) => {
    await wire.write(
      "HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n",
    );
  });
  const opener = build_opener(new ProxyHandler({ https: proxy.url }));
  await rejects(opener.open("https://example.invalid/x"), (e: unknown) => {
    ok(e instanceof URLError, String(e));
    const reason = e.reason as Error;
    equal(reason.name, "OSError");
    ok(!(reason instanceof Deno.errors.ConnectionRefused));
    equal(
      reason.message,
      "Tunnel connection failed: 407 Proxy Authentication Required",
    );
    return true;
  });
});

Deno.test("CONNECT is sent as http.client 3.13 sends it: HTTP/1.1, the proxy's credentials, then Host", async () => {
  let seen = "";
  await using proxy = startHostile(async (wire) => {
    seen = wire.request;
    await wire.write("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  const url = `http://u%3Ax:p%40w@127.0.0.1:${proxy.port}`;
  const opener = build_opener(new ProxyHandler({ https: url }));
  await rejects(opener.open("https://example.invalid/x"), URLError);
  // Bytes CPython 3.13 sends for the same proxy URL.
  equal(
    seen,
    "CONNECT example.invalid:443 HTTP/1.1\r\nProxy-Authorization: Basic dTp4OnBAdw==\r\nHost: example.invalid:443\r\n\r\n",
  );
});

Deno.test("CONNECT to an IPv6 host brackets it in Host too (the README's difference: http.client writes ::1:8443)", async () => {
  let seen = "";
  await using proxy = startHostile(async (wire) => {
    seen = wire.request;
    await wire.write("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  const opener = build_opener(new ProxyHandler({ https: proxy.url }));
  await rejects(opener.open("https://[::1]:8443/x"), URLError);
  equal(seen, "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n");
});

Deno.test("a proxy answering CONNECT with 100 Continue has refused the tunnel, as http.client reads it", async () => {
  await using proxy = startHostile(async (wire) => {
    await wire.write(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Connection established\r\n\r\n",
    );
  });
  const opener = build_opener(new ProxyHandler({ https: proxy.url }));
  await rejects(opener.open("https://example.invalid/x"), (e: unknown) => {
    ok(e instanceof URLError, String(e));
    equal(
      (e.reason as Error).message,
      "Tunnel connection failed: 100 Continue",
    );
    return true;
  });
});

Deno.test("a proxy whose answer to CONNECT is not HTTP: the HTTPException arrives bare, as in Python", async () => {
  await using proxy = startHostile(async (wire) => {
    await wire.flood(repeated("X-Flood: 1\r\n", 4096), FLOOD);
  });
  const opener = build_opener(new ProxyHandler({ https: proxy.url }));
  await rejectsWith(
    opener.open("https://example.invalid/x"),
    BadStatusLine,
    /^X-Flood: 1\r\n$/,
  );
});

Deno.test({
  name:
    "peak memory stays under 100 MiB whatever the server sends (child process)",
  // The child reads its peak memory from /proc.
  ignore: Deno.build.os !== "linux",
}, async () => {
  const cases: [string, Uint8Array, string][] = [
    ["folds", repeated(` ${"f".repeat(4000)}\r\n`, 16), "HTTPException"],
    ["long line", repeated("l", 65536), "LineTooLong"],
    ["headers", repeated(`X-H: ${"h".repeat(4000)}\r\n`, 16), "HTTPException"],
  ];
  for (const [what, block, expected] of cases) {
    await using server = startHostile(async (wire) => {
      await wire.write(`${OK}X-A: a\r\n`);
      await wire.flood(block, 256 << 20);
    });
    const report = await runChild(server.url);
    equal(report.error, expected, what);
    ok(report.peakRssMiB < 100, `${what}: peak RSS ${report.peakRssMiB} MiB`);
    console.log(
      `${what}: peak RSS ${report.peakRssMiB} MiB, ${server.sent} bytes sent`,
    );
    await server.close();
    ok(server.sent < BOUND, `${what}: the client took ${server.sent} bytes`);
  }
});

Deno.test({
  name:
    "a body of many tiny chunks takes memory of its own size: read() and readline() (child process)",
  ignore: Deno.build.os !== "linux",
}, async () => {
  // 200,000 one-byte chunks, one line: each read brings one chunk. A 64
  // KiB buffer kept per chunk (read) or an 8 KiB one per read (readline)
  // took gigabytes.
  const chunks = 200_000;
  for (const how of ["read", "readline"]) {
    await using server = startHostile(async (wire) => {
      await wire.write(`${OK}Transfer-Encoding: chunked\r\n\r\n`);
      await wire.write(repeated("1\r\nx\r\n", chunks));
      await wire.write("1\r\n\n\r\n0\r\n\r\n");
    });
    const report = await runChild(server.url, how);
    deepEqual([report.error, report.bytes], ["none", chunks + 1], how);
    ok(report.peakRssMiB < 150, `${how}: peak RSS ${report.peakRssMiB} MiB`);
  }
});
