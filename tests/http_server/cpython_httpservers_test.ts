/**
 * CPython 3.13's `Lib/test/test_httpservers.py`, gone through class by
 * class: each case's behaviour, written for our API, where no other test
 * here checks it already. The expected values are what CPython 3.13 sends
 * for the same bytes (checked against it when these tests were written).
 *
 * Classes covered: BaseHTTPServerTestCase, RequestHandlerLoggingTestCase,
 * SimpleHTTPServerTestCase, BaseHTTPRequestHandlerTestCase (its
 * SocketlessRequestHandler runs over `exchange`),
 * SimpleHTTPRequestHandlerTestCase, MiscTestCase, ScriptTestCase.
 *
 * Already covered elsewhere, so not repeated here:
 * - RequestHandlerLoggingTestCase test_get, test_err: base_handler_test
 *   ("log lines", "log_message: Python's line on stderr");
 * - SimpleHTTPServerTestCase test_undecodable_filename: byte_names_test;
 *   test_head, test_browser_cache, test_browser_cache_file_changed,
 *   test_invalid_requests, test_last_modified and most of test_get:
 *   differential_test (against CPython) and simple_handler_test; the mode
 *   000 folder of test_get: unreadable_file_test; test_html_escape_filename:
 *   helpers_test ("listingHtml") and differential_test's tree;
 * - BaseHTTPRequestHandlerTestCase test_http_0_9, test_with_continue_1_1,
 *   test_request_length, test_header_length, test_too_many_headers,
 *   test_date_time_string: base_handler_test;
 * - MiscTestCase test_all: exports_test (our exports against `__all__`).
 *
 * Not applicable, or deliberately different (README "Differences from
 * Python"):
 * - CGIHTTPServerTestCase (every case): `CGIHTTPRequestHandler` and
 *   `--cgi` are left out (deprecated in 3.13, removed in 3.15);
 * - SimpleHTTPServerTestCase test_browser_cache_with_If_None_Match_header:
 *   Python has no ETag and ignores `If-None-Match: *`, answering 200; ours
 *   answers 304 as RFC 9110 has it (simple_handler_test); that the header
 *   wins over If-Modified-Since holds for both (simple_handler_test);
 * - BaseHTTPRequestHandlerTestCase test_header_buffering_of_send_error:
 *   Python writes send_error's head and page in two writes, ours in one
 *   (the head is queued to leave with the body); the buffering itself is
 *   checked below;
 * - SimpleHTTPRequestHandlerTestCase test_windows_colon: it swaps
 *   `os.path` for `ntpath` on any system; our separator rules are the
 *   host's, fixed at load, so the Windows rules cannot run here;
 *   `pathlib.PurePath` directories have no counterpart (a string);
 * - ScriptTestCase's mocked server class: we run `serve` itself instead.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  SimpleHTTPRequestHandler,
} from "../../http_server/mod.ts";
import { ServeProcess, withHTTPServer, within } from "../_server.ts";
import { exchange } from "./_harness.ts";

const latin1 = new TextDecoder("latin1");
const WINDOWS = Deno.build.os === "windows";

/** Latin-1 bytes of `text` (one byte a character). */
function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/**
 * Sends `raw` on a new connection to `port` and reads until the server
 * closes it, as Latin-1 text.
 */
async function talk(port: number, raw: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(bytes(raw));
    const read = (async () => {
      let out = "";
      const buf = new Uint8Array(65536);
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return out;
        out += latin1.decode(buf.subarray(0, n));
      }
    })();
    return await within(read, 5000, `the answer to ${JSON.stringify(raw)}`);
  } finally {
    conn.close();
  }
}

/** One response of `text`: status line, headers by lower-case name, body. */
interface Parsed {
  status: string;
  headers: [string, string][];
  body: string;
}

function parse(text: string): Parsed {
  const end = text.indexOf("\r\n\r\n");
  ok(end >= 0, `no head in ${JSON.stringify(text)}`);
  const [status, ...lines] = text.slice(0, end).split("\r\n");
  return {
    status: status!,
    headers: lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
    body: text.slice(end + 4),
  };
}

function header(res: Parsed, name: string): string | null {
  return res.headers.find(([k]) => k === name)?.[1] ?? null;
}

// ---------------------------------------------------------------------------
// BaseHTTPServerTestCase: CPython's test handler, on a real socket.

class TestHandler extends BaseHTTPRequestHandler {
  override protocol_version = "HTTP/1.1";
  override default_request_version = "HTTP/1.1";
  override log_message(): void {}
  do_TEST(): void {
    this.send_response(204);
    this.send_header("Content-Type", "text/html");
    this.send_header("Connection", "close");
    this.end_headers();
  }
  do_KEEP(): void {
    this.send_response(204);
    this.send_header("Content-Type", "text/html");
    this.send_header("Connection", "keep-alive");
    this.end_headers();
  }
  do_KEYERROR(): void {
    this.send_error(999);
  }
  do_NOTFOUND(): void {
    this.send_error(404);
  }
  do_EXPLAINERROR(): void {
    this.send_error(999, "Short Message", "This is a long \n explanation");
  }
  do_CUSTOM(): void {
    this.send_response(999);
    this.send_header("Content-Type", "text/html");
    this.send_header("Connection", "close");
    this.end_headers();
  }
  do_LATINONEHEADER(): void {
    this.send_response(999);
    this.send_header("X-Special", "Dängerous Mind");
    this.send_header("Connection", "close");
    this.end_headers();
    const incoming = this.headers.get("x-special-incoming") ?? "";
    this.wfile.write(new TextEncoder().encode(incoming));
  }
  do_SEND_ERROR(): void {
    this.send_error(Number(this.path.slice(1)));
  }
  do_HEAD(): void {
    this.send_error(Number(this.path.slice(1)));
  }
}

/** What http.client sends after its request line. */
const CLIENT_HEADERS = "Host: 127.0.0.1\r\nAccept-Encoding: identity\r\n";

Deno.test("BaseHTTPServerTestCase: request lines with bogus, overlong or missing versions get CPython's status lines", async () => {
  // http.client's request line is "method url version": the tests change
  // the version, so some lines end in a blank or hold a bare LF.
  const cases: [string, string][] = [
    // test_command, test_header_close, test_header_keep_alive
    ["GET / HTTP/1.1\r\n", "HTTP/1.1 501 Unsupported method ('GET')"],
    // test_request_line_trimming: the bare LF ends the line, and the CRLF
    // after it the head, so the client's headers are never read.
    [
      "XYZBOGUS / HTTP/1.1\n\r\n",
      "HTTP/1.1 501 Unsupported method ('XYZBOGUS')",
    ],
    ["GET / FUBAR\r\n", "HTTP/1.1 400 Bad request version ('FUBAR')"],
    ["GET / HTTP/9.9.9\r\n", "HTTP/1.1 400 Bad request version ('HTTP/9.9.9')"],
    // Signs and underscores are no digits (Python's str.isdigit).
    [
      "GET / HTTP/-9_9_9.+9_9_9\r\n",
      "HTTP/1.1 400 Bad request version ('HTTP/-9_9_9.+9_9_9')",
    ],
    // More than ten digits in either number.
    [
      "GET / HTTP/909876543210.0\r\n",
      "HTTP/1.1 400 Bad request version ('HTTP/909876543210.0')",
    ],
    [
      "GET / HTTP/1.909876543210\r\n",
      "HTTP/1.1 400 Bad request version ('HTTP/1.909876543210')",
    ],
    // test_version_none_get: two words, a GET, goes to do_GET (none here).
    ["GET / \r\n", "HTTP/1.1 501 Unsupported method ('GET')"],
    // test_version_none: another method without a version is refused.
    ["CUSTOM / \r\n", "HTTP/1.1 400 Bad HTTP/0.9 request type ('CUSTOM')"],
    ["GET / HTTP/9.9\r\n", "HTTP/1.1 505 Invalid HTTP version (9.9)"],
    // test_send_blank: an empty method and url ("/" from http.client).
    [" / \r\n", "HTTP/1.1 400 Bad request syntax (' / ')"],
  ];
  await withHTTPServer(TestHandler, async (_base, server) => {
    for (const [line, status] of cases) {
      for (
        const connection of [
          "",
          "Connection: close\r\n",
          "Connection: keep-alive\r\n",
        ]
      ) {
        const raw = line + CLIENT_HEADERS + connection + "\r\n";
        const res = parse(await talk(server.server_port, raw));
        const where = JSON.stringify(raw);
        equal(res.status, status, where);
        // Every error closes the connection, and says so; its page has a
        // Content-Length that is the page's.
        equal(header(res, "connection"), "close", where);
        equal(header(res, "content-type"), "text/html;charset=utf-8", where);
        equal(Number(header(res, "content-length")), res.body.length, where);
      }
    }
  });
});

Deno.test("BaseHTTPServerTestCase: a handler's own answers: 204, a kept-alive connection, code 999 with and without a phrase, Latin-1 header values", async () => {
  await withHTTPServer(TestHandler, async (_base, server) => {
    const port = server.server_port;
    const ask = async (method: string, extra = "") =>
      parse(
        await talk(
          port,
          `${method} / HTTP/1.1\r\n${CLIENT_HEADERS}${extra}\r\n`,
        ),
      );

    // test_handler
    let res = await ask("TEST");
    equal(res.status, "HTTP/1.1 204 No Content");
    equal(res.body, "");

    // test_return_header_keep_alive: the handler's Connection: keep-alive
    // keeps the connection for the next request.
    const both = await talk(
      port,
      `KEEP / HTTP/1.1\r\n${CLIENT_HEADERS}\r\nTEST / HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`,
    );
    const first = parse(both);
    equal(first.status, "HTTP/1.1 204 No Content");
    equal(header(first, "connection"), "keep-alive");
    const second = parse(first.body);
    equal(second.status, "HTTP/1.1 204 No Content");
    equal(header(second, "connection"), "close");

    // test_internal_key_error: a code without a phrase is "???".
    res = await ask("KEYERROR");
    equal(res.status, "HTTP/1.1 999 ???");
    ok(res.body.includes("<p>Message: ???.</p>"), res.body);

    // test_return_custom_status: send_response(999) has an empty phrase.
    res = await ask("CUSTOM");
    equal(res.status, "HTTP/1.1 999 ");
    equal(header(res, "content-type"), "text/html");

    // test_return_explain_error
    res = await ask("EXPLAINERROR");
    equal(res.status, "HTTP/1.1 999 Short Message");
    ok(Number(header(res, "content-length")) > 0);
    equal(Number(header(res, "content-length")), res.body.length);
    ok(
      res.body.includes("999 - This is a long \n explanation.</p>"),
      res.body,
    );

    // test_latin1_header: values go out and come in as Latin-1.
    res = await ask(
      "LATINONEHEADER",
      "X-Special-Incoming: \xc4rger mit Unicode\r\n",
    );
    equal(header(res, "x-special"), "D\xe4ngerous Mind");
    equal(
      res.body,
      latin1.decode(new TextEncoder().encode("Ärger mit Unicode")),
    );

    // test_error_content_length
    res = await ask("NOTFOUND");
    equal(res.status, "HTTP/1.1 404 Not Found");
    equal(Number(header(res, "content-length")), res.body.length);
  });
});

Deno.test("BaseHTTPServerTestCase: send_error with a code that has no body sends no page, no Content-Length and no Content-Type, for GET and HEAD", async () => {
  await withHTTPServer(TestHandler, async (_base, server) => {
    const port = server.server_port;
    // test_send_error
    for (const code of [204, 304, 102, 205, 101]) {
      const res = parse(
        await talk(
          port,
          `SEND_ERROR /${code} HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`,
        ),
      );
      match(res.status, new RegExp(`^HTTP/1\\.1 ${code} `));
      deepEqual(
        res.headers.map(([name]) => name),
        ["server", "date", "connection"],
        String(code),
      );
      equal(res.body, "", String(code));
    }
    // test_head_via_send_error: 200 keeps its page's head, not the page.
    for (const code of [200, 204, 304, 205, 101]) {
      const res = parse(
        await talk(port, `HEAD /${code} HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`),
      );
      match(res.status, new RegExp(`^HTTP/1\\.1 ${code} `));
      equal(res.body, "", String(code));
      if (code === 200) {
        ok(Number(header(res, "content-length")) > 0);
        equal(header(res, "content-type"), "text/html;charset=utf-8");
      } else {
        equal(header(res, "content-length"), null, String(code));
        equal(header(res, "content-type"), null, String(code));
      }
      equal(header(res, "transfer-encoding"), null, String(code));
    }
  });
});

// ---------------------------------------------------------------------------
// SimpleHTTPServerTestCase: a folder in a folder, as CPython's temp folder
// in the current one.

class QuietFiles extends SimpleHTTPRequestHandler {
  override log_message(): void {}
}

/** A served folder holding `tmpXYZ/test` and `tmpXYZ/existing_directory`. */
async function servedTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "pyport_cpython_simple_" });
  await Deno.mkdir(`${root}/tmpXYZ/existing_directory`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/tmpXYZ/test`,
    "We are the knights who say Ni!",
  );
  return root;
}

/**
 * CPython's check_status_and_reason: an HTTP/1.0 answer that closes the
 * connection (nothing sent after it).
 */
function closedAnswer(text: string, status: number, where: string): Parsed {
  const res = parse(text);
  match(res.status, new RegExp(`^HTTP/1\\.0 ${status} \\S`), where);
  const connection = header(res, "connection");
  ok(connection === null || connection === "close", where);
  const length = header(res, "content-length");
  if (length !== null) equal(res.body.length, Number(length), where);
  return res;
}

Deno.test("SimpleHTTPServerTestCase: a folder's redirect never names another host, and keeps the path of a target that names its own (gh-87389)", async () => {
  const root = await servedTree();
  try {
    await withHTTPServer(
      QuietFiles.partial({ directory: root }),
      async (_base, server) => {
        const get = async (target: string) =>
          closedAnswer(
            await talk(
              server.server_port,
              `GET ${target} HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`,
            ),
            301,
            target,
          );
        // Resolves to tmpXYZ/existing_directory, a folder: a 301.
        const url =
          "/python.org/..%2f..%2f..%2f..%2f..%2f../%0a%0d/../tmpXYZ/existing_directory";
        for (const target of [url, `/${url}`, `//${url}`]) {
          equal(header(await get(target), "location"), `${url}/`, target);
        }
        // A target with a host keeps its path as sent, as Python's
        // urlunsplit rebuilds it: the host in front is the target's own.
        const absolute = `https://pypi.org/${url}`;
        equal(header(await get(absolute), "location"), `${absolute}/`);
        const doubled = "http://h//x/../../../tmpXYZ/existing_directory";
        equal(
          header(await get(`${doubled}?a#f`), "location"),
          `${doubled}/?a#f`,
        );
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("SimpleHTTPServerTestCase: a query that is not UTF-8 shows as U+FFFD in a listing's title", async () => {
  const root = await servedTree();
  try {
    await withHTTPServer(
      QuietFiles.partial({ directory: root }),
      async (_base, server) => {
        const listing = async (target: string) =>
          closedAnswer(
            await talk(
              server.server_port,
              `GET ${target} HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`,
            ),
            200,
            target,
          ).body;
        ok(
          (await listing("/tmpXYZ/?x=123")).includes(
            "<title>Directory listing for /tmpXYZ/?x=123</title>",
          ),
        );
        // %bb alone is no UTF-8: the replacement character, as UTF-8.
        ok(
          (await listing("/tmpXYZ/?x=%bb")).includes(
            "<title>Directory listing for /tmpXYZ/?x=\xef\xbf\xbd</title>",
          ),
        );
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("SimpleHTTPServerTestCase: an index.html that is a folder is listed, not served; targets without a leading slash", async () => {
  const root = await servedTree();
  try {
    await withHTTPServer(
      QuietFiles.partial({ directory: root }),
      async (_base, server) => {
        const get = async (target: string, status: number) =>
          closedAnswer(
            await talk(
              server.server_port,
              `GET ${target} HTTP/1.1\r\n${CLIENT_HEADERS}\r\n`,
            ),
            status,
            target,
          );
        // test_get: index.html as a folder is no index page.
        await Deno.mkdir(`${root}/tmpXYZ/spam/index.html`, {
          recursive: true,
        });
        let res = await get("/tmpXYZ/spam/", 200);
        ok(res.body.includes('<a href="index.html/">index.html/</a>'));
        // test_get: a file made index.html is served as the folder's page.
        await Deno.writeTextFile(
          `${root}/tmpXYZ/index.html`,
          "Dummy index file\r\n",
        );
        res = await get("/tmpXYZ/", 200);
        equal(res.body, "Dummy index file\r\n");
        await Deno.remove(`${root}/tmpXYZ/index.html`);
        // test_path_without_leading_slash: the target as sent, relative.
        res = await get("tmpXYZ/test", 200);
        equal(res.body, "We are the knights who say Ni!");
        await get("tmpXYZ/test/", 404);
        await get("tmpXYZ/", 200);
        await get("tmpXYZ/?hi=2", 200);
        res = await get("tmpXYZ", 301);
        equal(header(res, "location"), "tmpXYZ/");
        equal(header(res, "content-length"), "0");
        res = await get("tmpXYZ?hi=1", 301);
        equal(header(res, "location"), "tmpXYZ/?hi=1");
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// BaseHTTPRequestHandlerTestCase: CPython's SocketlessRequestHandler, a
// SimpleHTTPRequestHandler whose do_GET writes a small page, over an
// in-memory connection.

/** What each do_GET saw, in order. */
interface Seen {
  requestline: string;
  command: string | null;
  path: string;
  request_version: string;
  headers: [string, string][];
}

function socketless(seen: Seen[]) {
  return class Socketless extends SimpleHTTPRequestHandler {
    override protocol_version = "HTTP/1.1";
    override log_message(): void {}
    override do_GET(): void {
      seen.push({
        requestline: this.requestline,
        command: this.command,
        path: this.path,
        request_version: this.request_version,
        headers: this.headers.items(),
      });
      this.send_response(200);
      this.send_header("Content-Type", "text/html");
      this.end_headers();
      this.wfile.write("<html><body>Data</body></html>\r\n");
    }
  };
}

/** The response's lines, each with its CRLF, as Python's readlines() gives. */
function lines(output: string): string[] {
  return output.split(/(?<=\n)/);
}

/** `Server:`, `Date:` and `Content-Type:` each once among `head`. */
function expectedHeaders(head: string[], where: string): void {
  for (const name of ["Server: ", "Date: ", "Content-Type: "]) {
    equal(head.filter((line) => line.startsWith(name)).length, 1, where);
  }
}

Deno.test("BaseHTTPRequestHandlerTestCase: HTTP/1.1 and HTTP/1.0 requests, with and without Expect, reach do_GET with CPython's attributes", async () => {
  // test_http_1_1, test_http_1_0, test_with_continue_1_0 (an HTTP/1.0
  // request gets no 100 Continue, and keeps its Expect header).
  const cases: [string, string, [string, string][]][] = [
    ["GET / HTTP/1.1\r\n\r\n", "HTTP/1.1", []],
    ["GET / HTTP/1.0\r\n\r\n", "HTTP/1.0", []],
    [
      "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
      "HTTP/1.0",
      [["Expect", "100-continue"]],
    ],
  ];
  for (const [raw, version, headers] of cases) {
    const seen: Seen[] = [];
    const { output } = await exchange(socketless(seen), raw);
    const result = lines(output);
    match(result[0]!, /^HTTP\/1\.[0-9]+ 200 OK\r\n$/);
    expectedHeaders(result.slice(1, -1), raw);
    equal(result.at(-1), "<html><body>Data</body></html>\r\n");
    deepEqual(seen, [{
      requestline: `GET / ${version}`,
      command: "GET",
      path: "/",
      request_version: version,
      headers,
    }]);
  }
});

Deno.test("BaseHTTPRequestHandlerTestCase: a request line with a blank in its target is 400 Bad request syntax, with the usual headers", async () => {
  // test_extra_space
  const seen: Seen[] = [];
  const { output } = await exchange(
    socketless(seen),
    "GET /spaced out HTTP/1.1\r\nHost: dummy\r\n\r\n",
  );
  const result = lines(output);
  equal(
    result[0],
    "HTTP/1.1 400 Bad request syntax ('GET /spaced out HTTP/1.1')\r\n",
  );
  expectedHeaders(result.slice(1, result.indexOf("\r\n")), "extra space");
  deepEqual(seen, []);
});

Deno.test("BaseHTTPRequestHandlerTestCase: send_header buffers until end_headers, which sends the buffer whole, status line or not", async () => {
  // test_header_buffering_of_send_header: no send_response at all.
  class Bare extends BaseHTTPRequestHandler {
    override protocol_version = "HTTP/1.1";
    override log_message(): void {}
    do_GET(): void {
      this.send_header("Foo", "foo");
      this.send_header("bar", "bar");
      this.end_headers();
      this.close_connection = true;
    }
  }
  let r = await exchange(Bare, "GET / HTTP/1.1\r\n\r\n");
  equal(r.output, "Foo: foo\r\nbar: bar\r\n\r\n");
  equal(r.writes, 1);
  // test_header_buffering_of_send_response_only
  class Only extends Bare {
    override do_GET(): void {
      this.send_response_only(418);
      this.end_headers();
      this.close_connection = true;
    }
  }
  r = await exchange(Only, "GET / HTTP/1.1\r\n\r\n");
  equal(r.output, "HTTP/1.1 418 I'm a Teapot\r\n\r\n");
  equal(r.writes, 1);
  // test_header_buffering_of_send_error: Python writes the head and the
  // page apart (2 writes); ours sends them together (README).
  class Refuse extends Bare {
    override do_GET(): void {
      this.send_error(418);
    }
  }
  r = await exchange(Refuse, "GET / HTTP/1.1\r\n\r\n");
  match(
    r.output,
    /^HTTP\/1\.1 418 I'm a Teapot\r\n[^]*\r\n\r\n<!DOCTYPE HTML>/,
  );
  equal(r.writes, 1);
});

Deno.test("BaseHTTPRequestHandlerTestCase: 100 Continue is not held with the final head: a client that waits for it before sending the body gets it", async () => {
  // test_header_unbuffered_when_continue: Python writes the interim
  // answer at once, not into the head buffer. Ours may join it with what
  // the same synchronous run writes after it, but it leaves before the
  // handler waits for the body.
  const seen: Seen[] = [];
  const { output } = await exchange(
    socketless(seen),
    "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
  );
  deepEqual(output.split("\r\n").slice(0, 3), [
    "HTTP/1.1 100 Continue",
    "",
    "HTTP/1.1 200 OK",
  ]);
  deepEqual(seen.map((s) => s.headers), [[["Expect", "100-continue"]]]);

  class Upload extends BaseHTTPRequestHandler {
    override protocol_version = "HTTP/1.1";
    override log_message(): void {}
    async do_PUT(): Promise<void> {
      const body = await this.rfile.read(
        Number(this.headers.get("Content-Length")),
      );
      this.send_response(201);
      this.send_header("Content-Length", String(body.length));
      this.end_headers();
      this.wfile.write(body);
    }
  }
  await withHTTPServer(Upload, async (_base, server) => {
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.server_port,
    });
    try {
      await conn.write(bytes(
        "PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n" +
          "Connection: close\r\n\r\n",
      ));
      const buf = new Uint8Array(4096);
      const n = await within(conn.read(buf), 5000, "the 100 Continue");
      equal(
        latin1.decode(buf.subarray(0, n ?? 0)),
        "HTTP/1.1 100 Continue\r\n\r\n",
      );
      await conn.write(bytes("abc"));
      let rest = "";
      for (;;) {
        const m = await within(conn.read(buf), 5000, "the answer");
        if (m === null) break;
        rest += latin1.decode(buf.subarray(0, m));
      }
      const res = parse(rest);
      equal(res.status, "HTTP/1.1 201 Created");
      equal(res.body, "abc");
    } finally {
      conn.close();
    }
  });
});

Deno.test("BaseHTTPRequestHandlerTestCase: a refused expectation is 417 with one Connection: close, and do_GET is not called", async () => {
  // test_with_continue_rejected
  const refused: Seen[] = [];
  class Rejecting extends socketless(refused) {
    override handle_expect_100(): boolean {
      this.send_error(417);
      return false;
    }
  }
  const r = await exchange(
    Rejecting,
    "GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
  );
  const rejected = lines(r.output);
  equal(rejected[0], "HTTP/1.1 417 Expectation Failed\r\n");
  expectedHeaders(rejected.slice(1, -1), "417");
  equal(
    rejected.filter((line) => line === "Connection: close\r\n").length,
    1,
  );
  deepEqual(refused, []);
});

Deno.test("BaseHTTPRequestHandlerTestCase: an error page escapes < > & of the request but not its quotes (html.escape, quote=False)", async () => {
  // test_html_escape_on_error
  const { output } = await exchange(
    socketless([]),
    '<script>alert("hello")</script> / HTTP/1.1',
  );
  ok(
    output.includes(
      "<p>Message: Unsupported method ('&lt;script&gt;alert(\"hello\")&lt;/script&gt;').</p>",
    ),
    output,
  );
});

Deno.test("BaseHTTPRequestHandlerTestCase: handle() calls handle_one_request until it sets close_connection", async () => {
  // test_close_connection
  for (const values of [[true], [false, false, true]]) {
    const left = [...values];
    let calls = 0;
    class Counted extends BaseHTTPRequestHandler {
      override log_message(): void {}
      override handle_one_request(): Promise<void> {
        calls++;
        this.close_connection = left.shift()!;
        return Promise.resolve();
      }
    }
    const { output, error } = await exchange(Counted, "");
    equal(error, null);
    equal(output, "");
    equal(calls, values.length);
    deepEqual(left, []);
  }
});

Deno.test("BaseHTTPRequestHandlerTestCase: log_message escapes C0 controls, DEL and the C1 range, and backslashes; keeps U+00A0", async () => {
  // test_unprintable_not_logged: the real log_message, to stderr.
  const script = `
    import { BaseHTTPRequestHandler } from ${
    JSON.stringify(new URL("../../http_server/mod.ts", import.meta.url).href)
  };
    const h = new BaseHTTPRequestHandler(null, ["127.0.0.1", 1337], null);
    h.log_message("/foo");
    h.log_message("/\\x1bbar\\x00\\x1b");
    h.log_message("/spam %s.", "a");
    h.log_message("/spam %s.", "\\x1b\\x7f\\x9f\\xa0beans");
    h.log_message('"GET /foo\\\\b"ar\\x07 HTTP/1.0"');
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  ok(!stderr.includes("\x1b") && !stderr.includes("\x00"), stderr);
  const messages = stderr.trimEnd().split("\n").map((line) =>
    line.replace(/^127\.0\.0\.1 - - \[[^\]]+\] /, "")
  );
  deepEqual(messages, [
    "/foo",
    "/\\x1bbar\\x00\\x1b",
    "/spam a.",
    "/spam \\x1b\\x7f\\x9f\u00a0beans.",
    '"GET /foo\\\\b"ar\\x07 HTTP/1.0"',
  ]);
});

// ---------------------------------------------------------------------------
// SimpleHTTPRequestHandlerTestCase: translate_path.

Deno.test({
  name:
    "SimpleHTTPRequestHandlerTestCase: translate_path drops the query and fragment and a doubled leading slash, under the current folder or a relative one",
  ignore: WINDOWS,
  fn() {
    // test_query_arguments, test_start_with_double_slash
    const cwd = new SimpleHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
    const foo = new SimpleHTTPRequestHandler(null!, ["127.0.0.1", 1], null!, {
      directory: "foo",
    });
    for (
      const path of [
        "/filename",
        "/filename?foo=bar",
        "/filename?a=b&spam=eggs#zot",
        "//filename",
        "//filename?foo=bar",
      ]
    ) {
      equal(cwd.translate_path(path), `${Deno.cwd()}/filename`, path);
      // A relative folder stays relative, as Python's os.path.join keeps it.
      equal(foo.translate_path(path), "foo/filename", path);
    }
  },
});

// ---------------------------------------------------------------------------
// ScriptTestCase: the bind address picks the family; `serve` itself.

/** Whether this machine has IPv6 loopback. */
function haveIpv6(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "ScriptTestCase: serve -b binds the family of its address (IPv6 for ::1, IPv4 for 127.0.0.1, either for localhost) and names it",
  ignore: WINDOWS,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_cpython_bind_" });
    try {
      await Deno.writeTextFile(`${dir}/hello.txt`, "hi");
      const binds = haveIpv6()
        ? ["127.0.0.1", "::1", "localhost"]
        : ["127.0.0.1", "localhost"];
      for (const bind of binds) {
        await using server = new ServeProcess(["0", "-b", bind, "-d", dir]);
        const port = await server.started();
        const m =
          /^Serving HTTP on (\S+) port (\d+) \(http:\/\/(\S+)\/\) \.\.\.\n$/
            .exec(server.stdout);
        ok(m, server.stdout);
        const [, host, shownPort, url] = m;
        equal(Number(shownPort), port);
        if (bind === "localhost") ok(host === "127.0.0.1" || host === "::1");
        else equal(host, bind);
        equal(
          url,
          host!.includes(":") ? `[${host}]:${port}` : `${host}:${port}`,
        );
        // Reachable at the address it names, in that family.
        const res = await fetch(`http://${url}/hello.txt`, {
          signal: AbortSignal.timeout(10_000),
        });
        equal(await res.text(), "hi");
        await server.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
