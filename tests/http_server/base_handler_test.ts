/**
 * BaseHTTPRequestHandler's logic, byte for byte, without sockets: raw
 * requests go in over an in-memory connection (`exchange`) or as fetch
 * Requests (`fetchFrom`), and what the handler writes is checked against
 * what CPython 3.13 writes for the same handler.
 */
import net from "node:net";
import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { BaseHTTPRequestHandler, HTTPServer } from "../../http_server/mod.ts";
import type { StreamSocket } from "../../socketserver/mod.ts";
import { exchange, fetchFrom, Logged, normalized } from "./_harness.ts";
import { percentFormat } from "../../_util/percent_format.ts";

const decoder = new TextDecoder();

class Hello extends Logged {
  override server_version = "Hello/1.0";
  do_GET(): void {
    this.send_response(200);
    this.send_header("Content-type", "text/plain");
    this.send_header("Content-Length", "11");
    this.end_headers();
    this.wfile.write("Hello World");
  }
}

Deno.test("send_error: a lone surrogate in the page is '?' as Python's errors=\"replace\" writes it", async () => {
  class Odd extends Logged {
    do_GET(): void {
      this.send_error(404, "m", "x\ud800y");
    }
  }
  const { output } = await exchange(Odd, "GET / HTTP/1.0\r\n\r\n");
  const [head, body] = output.split("\r\n\r\n");
  ok(body!.includes("404 - x?y."), body);
  equal(Number(/Content-Length: (\d+)/.exec(head!)?.[1]), body!.length);
});

Deno.test("send_error, send_response, send_response_only, log_request, date_time_string: optional arguments by keyword, as Python's", async () => {
  // Python: self.send_error(404, explain="...") and the like.
  class Keywords extends BaseHTTPRequestHandler {
    lines: string[] = [];
    override log_message(format: string, ...args: unknown[]): void {
      this.lines.push(percentFormat(format, args));
    }
    do_GET(): void {
      if (this.path === "/error") {
        this.send_error(404, { explain: "Nothing <here>" });
      } else if (this.path === "/both") {
        this.send_error(410, "Gone Away", { explain: "Long gone" });
      } else {
        this.send_response(201, { message: "Made It" });
        this.send_header("X-Date", this.date_time_string({ timestamp: 0 }));
        this.send_header("Content-Length", "0");
        this.end_headers();
        this.log_request({ size: 5 });
        this.send_header("X-Log", this.lines.at(-1) ?? "");
      }
    }
  }
  const error = await fetchFrom(Keywords, "http://localhost/error");
  equal(error.status, 404);
  equal(error.statusText, "Not Found");
  ok((await error.text()).includes("Nothing &lt;here&gt;"));
  const both = await fetchFrom(Keywords, "http://localhost/both");
  equal(both.statusText, "Gone Away");
  ok((await both.text()).includes("Long gone"));
  const made = await fetchFrom(Keywords, "http://localhost/");
  equal(made.statusText, "Made It");
  equal(made.headers.get("x-date"), "Thu, 01 Jan 1970 00:00:00 GMT");
  await made.body?.cancel();
  const handler = new Keywords(null!, ["127.0.0.1", 1], null!);
  handler.requestline = "GET / HTTP/1.0";
  handler.log_request({ size: 5 });
  handler.log_request(200, { size: 7 });
  deepEqual(handler.lines, ['"GET / HTTP/1.0" - 5', '"GET / HTTP/1.0" 200 7']);
  const loose = handler as unknown as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  throws(() => loose["send_response_only"]!(200, { mesage: "x" }), {
    name: "TypeError",
    message:
      /send_response_only\(\) got an unexpected keyword argument 'mesage'/,
  });
  throws(() => loose["log_request"]!(200, 5, 1), {
    name: "TypeError",
    message: /log_request\(\) takes at most 2 optional arguments/,
  });
});

Deno.test("do_GET: Python's bytes, subclass fields, the connection closed after", async () => {
  const r = await exchange(Hello, "GET /x?y=1 HTTP/1.0\r\nHost: a\r\n\r\n");
  equal(
    normalized(r.output),
    "HTTP/1.0 200 OK\r\nServer: Hello/1.0 (runtime)\r\nDate: (date)\r\n" +
      "Content-type: text/plain\r\nContent-Length: 11\r\n\r\nHello World",
  );
  match(r.output, /\r\nServer: Hello\/1\.0 Deno\/\d+\.\d+\.\d+\r\n/);
  match(r.output, /\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
  equal(r.halfClosed, true);
  equal(r.error, null);
});

Deno.test("handle_one_request overridden as in Python: raw_requestline set by the override is what parse_request reads; super's runs a request", async () => {
  const paths: string[] = [];
  class OwnLoop extends Logged {
    override protocol_version = "HTTP/1.1";
    // http.server's own loop, written in a subclass.
    override async handle_one_request(): Promise<void> {
      const line = await this.rfile.readline(65537);
      if (line.length === 0) {
        this.close_connection = true;
        return;
      }
      this.raw_requestline = line;
      if (!await this.parse_request()) return;
      this.do_GET();
      await this.wfile.flush();
    }
    do_GET(): void {
      paths.push(this.path);
      this.send_response(200);
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  const r = await exchange(
    OwnLoop,
    "GET /caf\xe9 HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
  );
  equal(r.error, null);
  // The line is Latin-1, as Python decodes raw_requestline.
  deepEqual(paths, ["/caf\xe9", "/b"]);
  equal(r.output.split("HTTP/1.1 200 OK\r\n").length, 3);

  let calls = 0;
  class Counting extends Logged {
    override async handle_one_request(): Promise<void> {
      calls++;
      await super.handle_one_request();
    }
    do_GET(): void {
      this.send_response(204);
      this.end_headers();
    }
  }
  const counted = await exchange(Counting, "GET / HTTP/1.0\r\n\r\n");
  equal(counted.error, null);
  match(counted.output, /^HTTP\/1\.0 204 No Content\r\n/);
  equal(calls, 1);
});

Deno.test("request attributes: command, path, version, headers with repeats, raw line", async () => {
  const seen: Record<string, unknown> = {};
  class Inspect extends Logged {
    do_PATCH(): void {
      seen.command = this.command;
      seen.path = this.path;
      seen.requestline = this.requestline;
      seen.raw = decoder.decode(this.raw_requestline);
      seen.version = this.request_version;
      seen.header = this.headers.get("x-custom");
      seen.missing = this.headers.get("X-Missing", "dflt");
      seen.all = this.headers.get_all("X-Custom");
      seen.keys = this.headers.keys();
      seen.client = this.client_address;
      seen.address = this.address_string();
      seen.server = this.server instanceof HTTPServer;
      this.send_response(204);
      this.end_headers();
    }
  }
  const r = await exchange(
    Inspect,
    "PATCH /p/a%20th?q=1 HTTP/1.1\r\nX-Custom: one\r\nHost: h\r\n" +
      "x-custom: two\r\nConnection: close\r\n\r\n",
  );
  match(r.output, /^HTTP\/1\.0 204 No Content\r\n/);
  deepEqual(seen, {
    command: "PATCH",
    path: "/p/a%20th?q=1",
    requestline: "PATCH /p/a%20th?q=1 HTTP/1.1",
    raw: "PATCH /p/a%20th?q=1 HTTP/1.1\r\n",
    version: "HTTP/1.1",
    header: "one",
    missing: "dflt",
    all: ["one", "two"],
    keys: ["X-Custom", "Host", "x-custom", "Connection"],
    client: ["127.0.0.1", 4242],
    address: "127.0.0.1",
    server: true,
  });
});

Deno.test("path: leading slashes collapse (no open redirect through //host)", async () => {
  let path = "";
  class P extends Logged {
    do_GET(): void {
      path = this.path;
      this.send_response(204);
      this.end_headers();
    }
  }
  await exchange(P, "GET //evil.com/x HTTP/1.0\r\n\r\n");
  equal(path, "/evil.com/x");
});

Deno.test("rfile: readline, read(n), the body exactly, then the next request", async () => {
  class Echo extends Logged {
    override protocol_version = "HTTP/1.1";
    async do_POST(): Promise<void> {
      const length = Number(this.headers.get("Content-Length"));
      const first = await this.rfile.readline();
      const rest = await this.rfile.read(length - first.length);
      const body = `${decoder.decode(first)}|${decoder.decode(rest)}`;
      this.send_response(200);
      this.send_header("Content-Length", String(body.length));
      this.end_headers();
      this.wfile.write(body);
    }
  }
  const r = await exchange(Echo, [
    "POST / HTTP/1.1\r\nContent-Length: 16\r\n\r\nline1\nabc",
    "def\nxyz",
    "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nok",
  ]);
  const bodies = r.output.split("\r\n\r\n").slice(1).map((b) =>
    b.replace(/HTTP\/1\.1.*$/s, "")
  );
  deepEqual(bodies, ["line1\n|abcdef\nxyz", "ok|"]);
});

Deno.test("send_header: CR, LF, NUL, bad names refused, non-Latin-1 with Python's UnicodeEncodeError; numbers kept", async () => {
  const errors: string[] = [];
  class Checker extends Logged {
    do_GET(): void {
      this.send_response(200);
      for (
        const [name, value] of [
          ["X-A", "a\r\nSet-Cookie: x=1"],
          ["X-B", "a\nb"],
          ["X-C", "a\0b"],
          ["X-D\r\nX-E", "v"],
          ["Bad Name", "v"],
          ["X-F", "snowman \u2603"],
        ]
      ) {
        try {
          this.send_header(name as string, value as string);
          errors.push("accepted " + name);
        } catch (e) {
          errors.push(e instanceof TypeError ? (e as Error).name : String(e));
        }
      }
      this.send_header("X-Latin1", "caf\xe9");
      this.send_header("X-Number", 42);
      throws(() => this.send_response_only(200, "a\r\nb"), TypeError);
      // As Python encodes the line: its UnicodeEncodeError, positions in
      // the line (a TypeError too, for Python's ValueError).
      throws(() => this.send_header("X-G", "a\u65e5\u672c"), {
        name: "UnicodeEncodeError",
        message: "'latin-1' codec can't encode characters in position 6-7: " +
          "ordinal not in range(256)",
      });
      throws(() => this.send_response_only(200, "Fine \u{1F600}"), {
        name: "UnicodeEncodeError",
        message: "'latin-1' codec can't encode character '\\U0001f600' " +
          "in position 18: ordinal not in range(256)",
      });
      this.end_headers();
    }
  }
  const r = await exchange(Checker, "GET / HTTP/1.0\r\n\r\n");
  deepEqual(errors, [...Array(5).fill("TypeError"), "UnicodeEncodeError"]);
  ok(r.output.includes("\r\nX-Latin1: caf\xe9\r\nX-Number: 42\r\n\r\n"));
  ok(!r.output.includes("Set-Cookie"));
  ok(r.bytes.includes(0xe9), "Latin-1, one byte");
});

const NOT_FOUND_PAGE = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: 404</p>
        <p>Message: Not Found.</p>
        <p>Error code explanation: 404 - Nothing matches the given URI.</p>
    </body>
</html>
`;

Deno.test("send_error: Python's page and head, escaping, HEAD and bodiless codes", async () => {
  class Errors extends Logged {
    do_GET(): void {
      const code = Number(this.path.slice(1));
      if (code === 400) this.send_error(400, "<bad> & worse", "why <not>");
      else this.send_error(code);
    }
    do_HEAD(): void {
      this.send_error(404);
    }
  }
  let r = await exchange(Errors, "GET /404 HTTP/1.0\r\n\r\n");
  equal(
    normalized(r.output),
    "HTTP/1.0 404 Not Found\r\nServer: BaseHTTP/0.6 (runtime)\r\n" +
      "Date: (date)\r\nConnection: close\r\n" +
      "Content-Type: text/html;charset=utf-8\r\n" +
      `Content-Length: ${NOT_FOUND_PAGE.length}\r\n\r\n` +
      NOT_FOUND_PAGE,
  );
  r = await exchange(Errors, "GET /400 HTTP/1.0\r\n\r\n");
  ok(r.output.includes("<p>Message: &lt;bad&gt; &amp; worse.</p>"));
  ok(r.output.includes("400 - why &lt;not&gt;."));
  match(r.output, /^HTTP\/1\.0 400 <bad> & worse\r\n/);
  r = await exchange(Errors, "GET /499 HTTP/1.0\r\n\r\n");
  match(r.output, /^HTTP\/1\.0 499 \?\?\?\r\n/);
  ok(r.output.includes("<p>Message: ???.</p>"));
  for (const code of [204, 304]) {
    r = await exchange(Errors, `GET /${code} HTTP/1.0\r\n\r\n`);
    ok(r.output.endsWith("Connection: close\r\n\r\n"), String(code));
  }
  r = await exchange(Errors, "HEAD / HTTP/1.0\r\n\r\n");
  ok(r.output.endsWith(`Content-Length: ${NOT_FOUND_PAGE.length}\r\n\r\n`));
});

Deno.test("log lines: Python's request and error messages", async () => {
  Logged.lines = [];
  class Quiet extends Logged {
    do_GET(): void {
      if (this.path === "/missing") {
        this.send_error(404, "File not found");
        return;
      }
      this.send_response(200);
      this.end_headers();
    }
  }
  for (
    const raw of [
      "GET /a?b=1 HTTP/1.1\r\n\r\n",
      "GET /missing HTTP/1.0\r\n\r\n",
      "DELETE / HTTP/1.0\r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET / HTTP/1.x\r\n\r\n",
      "BREW /pot\r\n\r\n",
      `GET /${"a".repeat(70_000)} HTTP/1.0\r\n\r\n`,
    ]
  ) await exchange(Quiet, raw);
  deepEqual(Logged.lines, [
    '"GET /a?b=1 HTTP/1.1" 200 -',
    "code 404, message File not found",
    '"GET /missing HTTP/1.0" 404 -',
    "code 501, message Unsupported method ('DELETE')",
    '"DELETE / HTTP/1.0" 501 -',
    "code 505, message Invalid HTTP version (2.0)",
    '"GET / HTTP/2.0" 505 -',
    "code 400, message Bad request version ('HTTP/1.x')",
    '"GET / HTTP/1.x" 400 -',
    "code 400, message Bad HTTP/0.9 request type ('BREW')",
    '"BREW /pot" 400 -',
    "code 414, message URI Too Long",
    '"" 414 -',
  ]);
});

Deno.test("log_message: Python's line on stderr, control characters escaped", async () => {
  const script = `
    import { BaseHTTPRequestHandler } from ${
    JSON.stringify(new URL("../../http_server/mod.ts", import.meta.url).href)
  };
    const h = new BaseHTTPRequestHandler(null, ["10.0.0.1", 5], null);
    h.requestline = "GET / HTTP/1.1";
    h.log_message("%s %d", "evil\\x1b[31m\\nline\\\\", 7);
    h.log_request(200);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  const lines = decoder.decode(out.stderr).trimEnd().split("\n");
  equal(lines.length, 2);
  match(
    lines[0] ?? "",
    /^10\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] evil\\x1b\[31m\\x0aline\\\\ 7$/,
  );
  match(lines[1] ?? "", /\] "GET \/ HTTP\/1\.1" 200 -$/);
});

Deno.test("HTTP/0.9: the body alone, no status line or headers, then close", async () => {
  const r = await exchange(Hello, "GET /old\r\n\r\n");
  equal(r.output, "Hello World");
  const refused = await exchange(Hello, "POST /old\r\n\r\n");
  ok(
    refused.output.startsWith("<!DOCTYPE HTML>"),
    "an error page without a head",
  );
  ok(refused.output.includes("Bad HTTP/0.9 request type ('POST')"));
  // The request ends at the end of stream too, as in Python.
  equal((await exchange(Hello, "GET /old\r\n")).output, "Hello World");
  // No head is sent, so Python never encodes its lines: a reason phrase or
  // value beyond Latin-1 is no error (CR and LF still are: see the README).
  class Wide extends Logged {
    do_GET(): void {
      this.send_response(200, "\u65e5\u672c");
      this.send_header("X-Wide", "\u2603");
      throws(() => this.send_header("X-Evil", "a\r\nb"), TypeError);
      this.end_headers();
      this.wfile.write("body\n");
    }
  }
  equal((await exchange(Wide, "GET /x\r\n")).output, "body\n");
});

Deno.test("send_header: a Connection value that is not a str fails as Python's value.lower() does, after the line is buffered", async () => {
  class Numbered extends Logged {
    do_GET(): void {
      this.send_response(200);
      throws(() => this.send_header("connection", 5), {
        name: "TypeError",
        message: "'int' object has no attribute 'lower'",
      });
      this.send_header("Content-Length", "0");
      this.end_headers();
    }
  }
  const r = await exchange(Numbered, "GET / HTTP/1.0\r\n\r\n");
  ok(r.output.includes("\r\nconnection: 5\r\nContent-Length: 0\r\n\r\n"));
});

Deno.test("custom reason phrase, send_response_only and raw wfile bytes", async () => {
  class Raw extends Logged {
    override protocol_version = "HTTP/1.1";
    do_GET(): void {
      if (this.path === "/teapot") {
        this.send_response(418, "Short And Stout");
        this.send_header("Content-Length", "0");
        this.end_headers();
        return;
      }
      this.send_response_only(200, "Fine Thanks");
      this.send_header("X-Only", "1");
      this.end_headers();
      this.wfile.write(new Uint8Array([0x61, 0x00, 0xff]));
      this.close_connection = true;
    }
  }
  let r = await exchange(
    Raw,
    "GET /teapot HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  match(r.output, /^HTTP\/1\.1 418 Short And Stout\r\n/);
  r = await exchange(Raw, "GET / HTTP/1.1\r\n\r\n");
  deepEqual(
    [...r.bytes.slice(r.bytes.length - 3)],
    [0x61, 0x00, 0xff],
  );
  equal(
    r.output.slice(0, -3),
    "HTTP/1.1 200 Fine Thanks\r\nX-Only: 1\r\n\r\n",
  );
  equal(Logged.lines.at(-1), '"GET /teapot HTTP/1.1" 418 -');
});

Deno.test("flush_headers: the head buffer is sent when asked and emptied", async () => {
  class Parts extends Logged {
    do_GET(): void {
      this.send_response(200);
      this.flush_headers();
      this.wfile.write("|");
      this.send_header("X-Late", "1");
      this.end_headers();
      // After end_headers the buffer is empty: nothing more is sent.
      this.flush_headers();
      this.wfile.write("body");
    }
  }
  const r = await exchange(Parts, "GET / HTTP/1.0\r\n\r\n");
  match(
    normalized(r.output),
    /^HTTP\/1\.0 200 OK\r\nServer: [^\r]+\r\nDate: \(date\)\r\n\|X-Late: 1\r\n\r\nbody$/,
  );
});

Deno.test("Expect: 100-continue with HTTP/1.1; handle_expect_100 can refuse", async () => {
  class Upload extends Logged {
    override protocol_version = "HTTP/1.1";
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
  const request =
    "PUT /f HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
  let r = await exchange(Upload, request);
  match(r.output, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 Created\r\n/);
  ok(r.output.endsWith("\r\n\r\nabc"));
  // Not with HTTP/1.0 on either side.
  r = await exchange(
    Upload,
    request.replace("PUT /f HTTP/1.1", "PUT /f HTTP/1.0"),
  );
  match(r.output, /^HTTP\/1\.1 201 Created\r\n/);
  class Picky extends Upload {
    override handle_expect_100(): boolean {
      this.send_error(417);
      return false;
    }
  }
  r = await exchange(Picky, request);
  match(r.output, /^HTTP\/1\.1 417 Expectation Failed\r\n/);
});

Deno.test("keep-alive: pipelined requests answered in order until Connection: close", async () => {
  class Counter extends Logged {
    override protocol_version = "HTTP/1.1";
    do_GET(): void {
      const body = this.path;
      this.send_response(200);
      this.send_header("Content-Length", String(body.length));
      this.end_headers();
      this.wfile.write(body);
    }
  }
  const r = await exchange(
    Counter,
    "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n" +
      "GET /3 HTTP/1.1\r\nConnection: close\r\n\r\nGET /4 HTTP/1.1\r\n\r\n",
  );
  deepEqual(r.output.match(/\r\n\r\n\/\d/g), [
    "\r\n\r\n/1",
    "\r\n\r\n/2",
    "\r\n\r\n/3",
  ]);
  // HTTP/1.0 keeps the connection only when asked to, as in Python.
  const old = await exchange(
    Counter,
    "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.0\r\n\r\n",
  );
  deepEqual(old.output.match(/\r\n\r\n\/\w/g), ["\r\n\r\n/a", "\r\n\r\n/b"]);
  // With protocol_version HTTP/1.0 (the default) every connection closes.
  class OneShot extends Counter {
    override protocol_version = "HTTP/1.0";
  }
  const one = await exchange(
    OneShot,
    "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
  );
  deepEqual(one.output.match(/\r\n\r\n\/\d/g), ["\r\n\r\n/1"]);
});

Deno.test("limits: 65,536-byte lines and 100 header lines, as Python", async () => {
  const line = (n: number) => `GET /${"a".repeat(n - 16)} HTTP/1.0\r\n`;
  equal(line(65536).length, 65536);
  match(
    (await exchange(Hello, line(65536) + "\r\n")).output,
    /^HTTP\/1\.0 200 /,
  );
  match(
    (await exchange(Hello, line(65537) + "\r\n")).output,
    /^HTTP\/1\.0 414 /,
  );
  const header = (n: number) => `X: ${"b".repeat(n - 5)}\r\n`;
  match(
    (await exchange(Hello, "GET / HTTP/1.0\r\n" + header(65536) + "\r\n"))
      .output,
    /^HTTP\/1\.0 200 /,
  );
  const long = await exchange(
    Hello,
    "GET / HTTP/1.0\r\n" + header(65537) + "\r\n",
  );
  match(long.output, /^HTTP\/1\.0 431 Line too long\r\n/);
  ok(
    long.output.includes(
      "431 - got more than 65536 bytes when reading header line.",
    ),
  );
  const many = (n: number) =>
    "GET / HTTP/1.0\r\n" + Array.from({ length: n }, (_, i) =>
      `X-${i}: v\r\n`).join("") +
    "\r\n";
  match((await exchange(Hello, many(99))).output, /^HTTP\/1\.0 200 /);
  const tooMany = await exchange(Hello, many(100));
  match(tooMany.output, /^HTTP\/1\.0 431 Too many headers\r\n/);
  ok(tooMany.output.includes("431 - got more than 100 headers."));
});

Deno.test("a throwing handler: handle_error reports it and the connection drops, as in Python", async () => {
  const reported: unknown[] = [];
  class Boom extends Logged {
    do_GET(): void {
      throw new Error("kaboom");
    }
  }
  class Server extends HTTPServer {
    override handle_error(_r: unknown, _c: unknown, error?: unknown): void {
      reported.push(error);
    }
  }
  // A do_ attribute that is no function is called all the same (Python's
  // "'NoneType' object is not callable"), not answered 501.
  class NoneMethod extends Boom {
    do_NONE: unknown = null;
  }
  for (
    const [Handler, method] of [[Boom, "GET"], [NoneMethod, "NONE"]] as const
  ) {
    await using server = new Server(["127.0.0.1", 0], Handler);
    const served = server.handle_request();
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: server.server_port,
    });
    await conn.write(new TextEncoder().encode(`${method} / HTTP/1.0\r\n\r\n`));
    const n = await conn.read(new Uint8Array(100)).catch(() => null);
    conn.close();
    await served;
    equal(n, null, "no response at all");
  }
  equal(reported.length, 2);
  match(String(reported[0]), /kaboom/);
  match(String(reported[1]), /TypeError: 'NoneType' object is not callable/);
  // A handler that sends nothing: the connection closes unanswered.
  class Silent extends Logged {
    do_GET(): void {}
  }
  const r = await exchange(Silent, "GET / HTTP/1.0\r\n\r\n");
  equal(r.output, "");
  equal(r.halfClosed, true);
});

Deno.test("a client that resets while an unread chunked body is read off: no error report, the server goes on", async () => {
  const reported: unknown[] = [];
  class Unread extends Logged {
    override protocol_version = "HTTP/1.1";
    do_POST(): void {
      this.send_response(200);
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  class Server extends HTTPServer {
    override handle_error(_r: unknown, _c: unknown, error?: unknown): void {
      reported.push(error);
    }
  }
  await using server = new Server(["127.0.0.1", 0], Unread);
  const served = server.handle_request();
  // node:net can end a connection with a reset (Deno.Conn cannot).
  const client = net.connect(server.server_port, "127.0.0.1");
  client.on("error", () => {});
  client.write(
    "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
  );
  await new Promise((resolve) => client.once("data", resolve));
  client.resetAndDestroy();
  await served;
  deepEqual(reported, []);
});

Deno.test("helpers: version_string, date_time_string, log_date_time_string, responses", () => {
  const handler = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
  match(handler.version_string(), /^BaseHTTP\/0\.6 Deno\/\d+\.\d+\.\d+$/);
  equal(handler.date_time_string(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  // Rounded to the microsecond first, as Python's datetime does.
  equal(handler.date_time_string(0.9999999), "Thu, 01 Jan 1970 00:00:01 GMT");
  equal(handler.date_time_string(-1e-7), "Thu, 01 Jan 1970 00:00:00 GMT");
  equal(handler.date_time_string(1.9), "Thu, 01 Jan 1970 00:00:01 GMT");
  // Python's years run from 1 to 9999 (ValueError beyond).
  equal(
    handler.date_time_string(-62135596800),
    "Mon, 01 Jan 0001 00:00:00 GMT",
  );
  equal(
    handler.date_time_string(253402300799),
    "Fri, 31 Dec 9999 23:59:59 GMT",
  );
  throws(
    () => handler.date_time_string(253402300800),
    new RangeError("year 10000 is out of range"),
  );
  throws(
    () => handler.date_time_string(-62135596801),
    new RangeError("year 0 is out of range"),
  );
  throws(
    () => handler.date_time_string(1e15),
    new RangeError("year 31690708 is out of range"),
  );
  match(
    handler.log_date_time_string(),
    /^\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d$/,
  );
  // Log lines name the month by `monthname`, as Python's "%3s" does.
  const month = new Date().getMonth() + 1;
  const names: (string | null)[] = [null, ...Array(12).fill("Mo")];
  const localised = new BaseHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
  localised.monthname = names;
  match(localised.log_date_time_string(), /^\d\d\/ Mo\/\d{4} /);
  names[month] = "NOVEMBRE";
  match(localised.log_date_time_string(), /^\d\d\/NOVEMBRE\/\d{4} /);
  deepEqual(handler.responses[200], [
    "OK",
    "Request fulfilled, document follows",
  ]);
  equal(handler.protocol_version, "HTTP/1.0");
  equal(handler.default_request_version, "HTTP/0.9");
  equal(handler.disable_nagle_algorithm, true);
  equal(handler.headers_timeout, null);
  equal(handler.keep_alive_timeout, null);
  equal(handler.monthname[11], "Nov");
  equal(handler.weekdayname[0], "Mon");
  throws(() => handler.send_response_only(42), RangeError);
  throws(() => handler.end_headers(), /send_response/);
});

Deno.test("fetch adapter: the same handler answers a Request", async () => {
  const res = await fetchFrom(Hello, "/x");
  equal(res.status, 200);
  equal(res.headers.get("content-type"), "text/plain");
  equal(await res.text(), "Hello World");
});

Deno.test("a head and a body written after an await leave in one write; a lone head still leaves", async () => {
  class Later extends Logged {
    async do_GET(): Promise<void> {
      this.send_response(200);
      this.send_header("Content-Length", "5");
      this.end_headers();
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.wfile.write("later");
    }
    do_HEAD(): void {
      this.send_response(204);
      this.end_headers();
    }
  }
  const get = await exchange(Later, "GET / HTTP/1.0\r\n\r\n");
  ok(get.output.endsWith("\r\n\r\nlater"), get.output);
  equal(get.writes, 1);
  const head = await exchange(Later, "HEAD / HTTP/1.0\r\n\r\n");
  match(head.output, /^HTTP\/1\.0 204 No Content\r\n/);
  equal(head.writes, 1);
  // flush_headers() after end_headers() sends the held head at once.
  class Flushed extends Later {
    override async do_GET(): Promise<void> {
      this.send_response(200);
      this.send_header("Content-Length", "5");
      this.end_headers();
      this.flush_headers();
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.wfile.write("later");
    }
  }
  const flushed = await exchange(Flushed, "GET / HTTP/1.0\r\n\r\n");
  ok(flushed.output.endsWith("\r\n\r\nlater"), flushed.output);
  equal(flushed.writes, 2);
});

Deno.test("an HTTP handler's timeout is its socket's too, shared with rfile and wfile, as in Python", async () => {
  const seen: unknown[] = [];
  class Timed extends Logged {
    override timeout = 5;
    do_GET(): void {
      const socket = this.request as StreamSocket;
      seen.push(socket.gettimeout());
      socket.settimeout(7);
      seen.push(this.rfile.timeout, this.wfile.timeout);
      this.send_response(204);
      this.end_headers();
    }
  }
  await using server = new HTTPServer(["127.0.0.1", 0], Timed);
  const done = server.handle_request();
  const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
  await res.body?.cancel();
  await done;
  deepEqual(seen, [5, 7, 7]);
});

Deno.test("parse_request and handle_expect_100 overrides are judged by truth, as Python's `if not self.parse_request()`: nothing after send_error, or 1", async () => {
  class Picky extends Logged {
    override protocol_version = "HTTP/1.1";
    // deno-lint-ignore no-explicit-any
    override parse_request(): any {
      if (this.raw_requestline.includes(0x21)) { // "!" in the line
        this.requestline = "refused";
        this.send_error(400, "nope");
        return undefined;
      }
      return super.parse_request().then((ok) => ok ? 1 : 0);
    }
    // deno-lint-ignore no-explicit-any
    override handle_expect_100(): any {
      if (this.path === "/deny") {
        this.send_error(417);
        return null;
      }
      return super.handle_expect_100();
    }
    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  const refused = await exchange(Picky, "GET /! HTTP/1.1\r\n\r\n");
  equal(refused.error, null);
  match(refused.output, /^HTTP\/1\.1 400 nope\r\n/);
  const served = await exchange(
    Picky,
    "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
  );
  equal(served.error, null);
  equal(served.output.match(/HTTP\/1\.1 200 OK\r\n/g)?.length, 2);
  const denied = await exchange(
    Picky,
    "POST /deny HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
  );
  equal(denied.error, null);
  match(denied.output, /^HTTP\/1\.1 417 Expectation Failed\r\n/);
});
