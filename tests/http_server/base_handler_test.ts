import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import { percentFormat } from "../../_util/percent_format.ts";
import {
  BaseHTTPRequestHandler,
  type ClientAddress,
  HTTPServer,
} from "../../http_server/mod.ts";
import { deadline, withHTTPServer as withServer } from "../_server.ts";

const decoder = new TextDecoder();

/** A handler that records its log lines instead of writing them. */
class Recording extends BaseHTTPRequestHandler {
  static logs: string[] = [];
  override log_message(format: string, ...args: unknown[]): void {
    Recording.logs.push(percentFormat(format, args));
  }
}

/** Sends `text` on a raw connection and returns everything read until close or `ms`. */
async function rawExchange(
  port: number,
  text: string,
  ms = 2000,
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), ms);
  try {
    await conn.write(new TextEncoder().encode(text));
    const buffer = new Uint8Array(65536);
    let out = "";
    while (true) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      out += decoder.decode(buffer.subarray(0, n));
    }
    return out;
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // Closed by the timer.
    }
  }
}

Deno.test("do_GET: sync handler, Python's default headers, subclass fields", async () => {
  class Hello extends Recording {
    override server_version = "Hello/1.0";
    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-type", "text/plain");
      this.send_header("Content-Length", "11");
      this.end_headers();
      this.wfile.write("Hello World");
    }
  }
  await withServer(Hello, async (base) => {
    const res = await fetch(`${base}/x?y=1`);
    equal(res.status, 200);
    equal(await res.text(), "Hello World");
    match(res.headers.get("server") ?? "", /^Hello\/1\.0 Deno\/\d/);
    match(res.headers.get("date") ?? "", / GMT$/);
    equal(res.headers.get("content-length"), "11");
    // HTTP/1.0 protocol (the default): one request per connection.
    equal(res.headers.get("connection"), "close");
  });
});

Deno.test("protocol_version HTTP/1.1: no Connection: close, connection reused", async () => {
  class KeepAlive extends Recording {
    override protocol_version = "HTTP/1.1";
    do_GET(): void {
      this.send_response(200);
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  await withServer(KeepAlive, async (_base, server) => {
    const reply = await rawExchange(
      server.server_port,
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
      500,
    );
    equal(reply.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
    equal(/connection: close/i.test(reply), false);
  });
});

Deno.test("request attributes: command, path, headers, requestline, client_address", async () => {
  const seen: Record<string, unknown> = {};
  class Inspect extends Recording {
    do_PATCH(): void {
      seen.command = this.command;
      seen.path = this.path;
      seen.requestline = this.requestline;
      seen.version = this.request_version;
      seen.header = this.headers.get("x-custom");
      seen.headerUpper = this.headers.get("X-CUSTOM");
      seen.missing = this.headers.get("X-Missing", "dflt");
      seen.all = this.headers.get_all("X-Custom");
      seen.has = this.headers.has("x-custom");
      seen.client = this.client_address[0];
      seen.address = this.address_string();
      seen.server = this.server instanceof HTTPServer;
      this.send_response(204);
      this.end_headers();
    }
  }
  await withServer(Inspect, async (base) => {
    const res = await fetch(`${base}/p/a%20th?q=1`, {
      method: "PATCH",
      headers: { "X-Custom": "v" },
    });
    equal(res.status, 204);
    await res.body?.cancel();
  });
  deepEqual(seen, {
    command: "PATCH",
    path: "/p/a%20th?q=1",
    requestline: "PATCH /p/a%20th?q=1 HTTP/1.1",
    version: "HTTP/1.1",
    header: "v",
    headerUpper: "v",
    missing: "dflt",
    all: ["v"],
    has: true,
    client: "127.0.0.1",
    address: "127.0.0.1",
    server: true,
  });
});

Deno.test("path: leading slashes collapse (no open redirect through //host)", async () => {
  let path = "";
  class P extends Recording {
    do_GET(): void {
      path = this.path;
      this.send_response(204);
      this.end_headers();
    }
  }
  await withServer(P, async (_base, server) => {
    await rawExchange(server.server_port, "GET //evil.com/x HTTP/1.0\r\n\r\n");
  });
  equal(path, "/evil.com/x");
});

Deno.test("rfile: read(n), readline(), read() to the end", async () => {
  class Echo extends Recording {
    async do_POST(): Promise<void> {
      const first = await this.rfile.readline();
      const two = await this.rfile.read(2);
      const rest = await this.rfile.read();
      const after = await this.rfile.read(10);
      const body = `${decoder.decode(first)}|${decoder.decode(two)}|${
        decoder.decode(rest)
      }|${after.length}`;
      this.send_response(200);
      this.end_headers();
      this.wfile.write(body);
    }
  }
  await withServer(Echo, async (base) => {
    const res = await fetch(base, {
      method: "POST",
      body: "line1\nabcdef\nxyz",
    });
    equal(await res.text(), "line1\n|ab|cdef\nxyz|0");
  });
});

Deno.test("wfile: an async handler's output streams before it returns", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  class Slow extends Recording {
    async do_GET(): Promise<void> {
      this.send_response(200);
      this.end_headers();
      this.wfile.write("first;");
      await gate;
      this.wfile.write("second");
    }
  }
  await withServer(Slow, async (base) => {
    const res = await fetch(base);
    equal(res.status, 200);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    equal(decoder.decode(value), "first;");
    release();
    let rest = "";
    while (true) {
      const chunk = await reader.read();
      if (chunk.done) break;
      rest += decoder.decode(chunk.value);
    }
    equal(rest, "second");
  });
});

Deno.test("send_header: rejects CR/LF/NUL, bad names and non-Latin-1 values", async () => {
  const errors: string[] = [];
  class Checker extends Recording {
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
          errors.push(e instanceof TypeError ? "TypeError" : String(e));
        }
      }
      this.send_header("X-Latin1", "caf\xe9");
      this.send_header("X-Number", 42);
      this.end_headers();
    }
  }
  await withServer(Checker, async (base) => {
    const res = await fetch(base);
    equal(res.headers.get("x-number"), "42");
    equal(res.headers.has("set-cookie"), false);
    await res.body?.cancel();
  });
  deepEqual(errors, Array(6).fill("TypeError"));
});

Deno.test("send_error: Python's page, escaping, HEAD and bodiless codes", async () => {
  class Errors extends Recording {
    do_GET(): void {
      const code = Number(this.path.slice(1));
      if (code === 400) this.send_error(400, "<bad> & worse", "why <not>");
      else if (code === 499) this.send_error(499);
      else this.send_error(code);
    }
    do_HEAD(): void {
      this.send_error(404);
    }
  }
  await withServer(Errors, async (base) => {
    let res = await fetch(`${base}/404`);
    equal(res.status, 404);
    equal(res.headers.get("content-type"), "text/html;charset=utf-8");
    equal(res.headers.get("connection"), "close");
    const page = await res.text();
    equal(
      res.headers.get("content-length"),
      String(new TextEncoder().encode(page).length),
    );
    equal(
      page,
      `<!DOCTYPE HTML>
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
`,
    );
    res = await fetch(`${base}/400`);
    const escaped = await res.text();
    ok(escaped.includes("<p>Message: &lt;bad&gt; &amp; worse.</p>"));
    ok(escaped.includes("400 - why &lt;not&gt;."));
    res = await fetch(`${base}/499`);
    ok((await res.text()).includes("<p>Message: ???.</p>"));
    for (const code of [204, 304]) {
      res = await fetch(`${base}/${code}`);
      equal(res.status, code);
      equal(await res.text(), "");
      equal(res.headers.has("content-type"), false);
    }
    res = await fetch(`${base}/x`, { method: "HEAD" });
    equal(res.status, 404);
    equal(res.headers.get("content-type"), "text/html;charset=utf-8");
    equal(await res.text(), "");
  });
});

Deno.test("log lines: Python's request and error messages", async () => {
  Recording.logs = [];
  class Logged extends Recording {
    do_GET(): void {
      if (this.path === "/missing") {
        this.send_error(404, "File not found");
        return;
      }
      this.send_response(200);
      this.end_headers();
    }
  }
  await withServer(Logged, async (base) => {
    await (await fetch(`${base}/a?b=1`)).body?.cancel();
    await (await fetch(`${base}/missing`)).body?.cancel();
    await (await fetch(`${base}/`, { method: "DELETE" })).body?.cancel();
  });
  deepEqual(Recording.logs, [
    '"GET /a?b=1 HTTP/1.1" 200 -',
    "code 404, message File not found",
    '"GET /missing HTTP/1.1" 404 -',
    "code 501, message Unsupported method ('DELETE')",
    '"DELETE / HTTP/1.1" 501 -',
  ]);
});

Deno.test("log_message: writes Python's line to stderr, control characters escaped", async () => {
  const script = `
    import { BaseHTTPRequestHandler } from ${
    JSON.stringify(new URL("../../http_server/mod.ts", import.meta.url).href)
  };
    const h = new BaseHTTPRequestHandler(new Request("http://x/"), ["10.0.0.1", 5], null);
    h.log_message("%s %d", "evil\\x1b[31m\\nline\\\\", 7);
    h.log_request(200);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = decoder.decode(out.stderr).trimEnd().split("\n");
  equal(lines.length, 2);
  match(
    lines[0] ?? "",
    /^10\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] evil\\x1b\[31m\\x0aline\\\\ 7$/,
  );
  match(lines[1] ?? "", /\] "GET \/ HTTP\/1\.1" 200 -$/);
});

Deno.test(
  "a throwing handler gets a 500, is logged, and the server keeps serving",
  deadline(async () => {
    const handled: unknown[] = [];
    class Boom extends Recording {
      do_GET(): void {
        if (this.path === "/boom") throw new Error("kaboom");
        this.send_response(200);
        this.end_headers();
        this.wfile.write("fine");
      }
      async do_POST(): Promise<void> {
        this.send_response(200);
        this.send_header("X-Discarded", "1");
        await Promise.resolve();
        throw new RangeError("late");
      }
    }
    class Server extends HTTPServer {
      override handle_error(
        _r: Request | null,
        _c: ClientAddress | null,
        error?: unknown,
      ): void {
        handled.push(error);
      }
    }
    await using server = new Server(["127.0.0.1", 0], Boom);
    const done = server.serve_forever();
    const base = `http://127.0.0.1:${server.server_port}`;
    let res = await fetch(`${base}/boom`);
    equal(res.status, 500);
    ok((await res.text()).includes("Internal Server Error"));
    res = await fetch(base, { method: "POST", body: "x" });
    equal(res.status, 500);
    equal(res.headers.has("x-discarded"), false);
    await res.body?.cancel();
    res = await fetch(`${base}/ok`);
    equal(await res.text(), "fine");
    equal(handled.length, 2);
    match(String(handled[0]), /kaboom/);
    await server.shutdown();
    await done;
  }),
);

Deno.test("handle_error: Python's block on stderr", async () => {
  const script = `
    import { HTTPServer } from ${
    JSON.stringify(new URL("../../http_server/mod.ts", import.meta.url).href)
  };
    const s = new HTTPServer(["127.0.0.1", 0], class {} as never, false);
    s.handle_error(null, ["127.0.0.1", 4242], new Error("boom"));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = decoder.decode(out.stderr);
  match(
    text,
    /^-{40}\nException occurred during processing of request from \('127\.0\.0\.1', 4242\)\nTraceback \(most recent call last\):\nError: boom\n[\s\S]*-{40}\n$/,
  );
});

Deno.test("version_string, date_time_string, log_date_time_string, responses", () => {
  const handler = new BaseHTTPRequestHandler(
    new Request("http://x/"),
    ["127.0.0.1", 1],
    null as unknown as HTTPServer,
  );
  match(handler.version_string(), /^BaseHTTP\/0\.6 Deno\/\d+\.\d+\.\d+$/);
  equal(handler.date_time_string(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  match(
    handler.log_date_time_string(),
    /^\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d$/,
  );
  deepEqual(handler.responses[200], [
    "OK",
    "Request fulfilled, document follows",
  ]);
  equal(handler.protocol_version, "HTTP/1.0");
  equal(handler.monthname[11], "Nov");
  equal(handler.weekdayname[0], "Mon");
  throws(() => handler.send_response_only(42), RangeError);
});

Deno.test(
  "HTTPServer: handle_request, bind_and_activate, address in use",
  deadline(async () => {
    class One extends Recording {
      do_GET(): void {
        this.send_response(200);
        this.end_headers();
        this.wfile.write(this.path);
      }
    }
    const server = new HTTPServer(["127.0.0.1", 0], One);
    try {
      equal(server.server_address[0], "127.0.0.1");
      ok(server.server_port > 0);
      equal(server.server_address[1], server.server_port);
      // Requests wait for handle_request(), as in Python's listen queue.
      const pending = fetch(`http://127.0.0.1:${server.server_port}/first`);
      await new Promise((r) => setTimeout(r, 50));
      await server.handle_request();
      equal(await (await pending).text(), "/first");
      throws(
        () => new HTTPServer(["127.0.0.1", server.server_port], One),
        Deno.errors.AddrInUse,
      );
    } finally {
      await server.server_close();
    }
    const unbound = new HTTPServer(["127.0.0.1", 0], One, {
      bind_and_activate: false,
    });
    equal(unbound.socket, null);
    unbound.server_bind();
    unbound.server_activate();
    ok(unbound.server_port > 0);
    await unbound.server_close();
    throws(() => new HTTPServer(["127.0.0.1", 70000], One), RangeError);
    await rejects(async () => {
      await using s = new HTTPServer(["127.0.0.1", 0], One);
      const first = s.serve_forever();
      try {
        await s.serve_forever();
      } finally {
        await s.shutdown();
        await first;
      }
    }, /already running/);
  }),
);

Deno.test("a handler that sends nothing gets a 500 saying so", async () => {
  class Silent extends Recording {
    do_GET(): void {}
  }
  await withServer(Silent, async (base) => {
    const res = await fetch(base);
    equal(res.status, 500);
    ok((await res.text()).includes("The handler sent no response"));
  });
});

Deno.test("send_header: special names in any case, names checked every time", async () => {
  class Mixed extends Recording {
    override protocol_version = "HTTP/1.1";
    do_GET(): void {
      this.send_response(200);
      // Twice: a remembered valid name must not let a bad one through.
      for (let i = 0; i < 2; i++) {
        throws(() => this.send_header("Bad Name", "x"), TypeError);
        throws(() => this.send_header("X-Ok", "a\r\nb"), TypeError);
        this.send_header("X-Ok", "1");
      }
      this.send_header("CONNECTION", "Close");
      this.send_header("content-LENGTH", "2");
      this.send_header("DATE", this.date_time_string(0));
      this.send_header("Etag", '"e"'); // as long as "date": still sent
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  await withServer(Mixed, async (_base, server) => {
    const reply = await rawExchange(
      server.server_port,
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    match(reply, /^HTTP\/1\.1 200 OK\r\n/);
    match(reply, /\r\nconnection: close\r\n/i);
    match(reply, /\r\ncontent-length: 2\r\n/i);
    match(reply, /\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\n/i);
    match(reply, /\r\netag: "e"\r\n/i);
    equal(reply.match(/^x-ok: 1\r$/gim)?.length, 2);
    ok(reply.endsWith("\r\n\r\nok"));
  });
});
