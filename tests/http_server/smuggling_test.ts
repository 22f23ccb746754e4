/**
 * Request smuggling: a body must never be read as a request. Ambiguous
 * framing is refused (400, connection closed); a body the handler leaves
 * unread is discarded before the next request, or the connection closes.
 * Python's http.server does none of this (it would serve the smuggled
 * request in each case below).
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { exchange, Logged } from "./_harness.ts";

const served: string[] = [];

/** Answers 200 with the path; reads the body as `/read-*` paths say. */
class Recorder extends Logged {
  override protocol_version = "HTTP/1.1";
  async do_GET(): Promise<void> {
    served.push(this.path);
    if (this.path === "/read-past") await this.rfile.read(5);
    this.#answer();
  }
  async do_POST(): Promise<void> {
    served.push(this.path);
    if (this.path === "/read-half") await this.rfile.read(2);
    if (this.path === "/read-more") {
      await this.rfile.read(Number(this.headers.get("Content-Length")) + 4);
    }
    if (this.path === "/read-chunked") await readChunked(this);
    this.#answer();
  }
  #answer(): void {
    this.send_response(200);
    this.send_header("Content-Length", "0");
    this.end_headers();
  }
}

/** Decodes a chunked body from rfile the way a careful handler would. */
async function readChunked(handler: Logged): Promise<string> {
  let body = "";
  while (true) {
    const line = new TextDecoder().decode(await handler.rfile.readline());
    const size = parseInt(line, 16);
    if (size === 0) {
      await handler.rfile.readline();
      return body;
    }
    body += new TextDecoder().decode(await handler.rfile.read(size));
    await handler.rfile.readline();
  }
}

const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
const NEXT = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";

async function run(
  raw: string | string[],
): Promise<{ output: string; served: string[] }> {
  served.length = 0;
  const { output } = await exchange(Recorder, raw);
  return { output, served: [...served] };
}

Deno.test("smuggling: ambiguous framing gets 400 and the connection closes", async () => {
  for (
    const [headers, message] of [
      [
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "both Content-Length and Transfer-Encoding",
      ],
      [
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "differing Content-Length values",
      ],
      ["Content-Length: 5, 5\r\n", "invalid Content-Length ('5, 5')"],
      ["Content-Length: -1\r\n", "invalid Content-Length ('-1')"],
      ["Content-Length: 0x10\r\n", "invalid Content-Length ('0x10')"],
      [
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding must end with one chunked",
      ],
      [
        "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding must end with one chunked",
      ],
      [
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding must end with one chunked",
      ],
      // RFC 9112 §5.1: Python stops reading fields at such a line (and so
      // takes no length), where a proxy may take it.
      [
        `Content-Length : ${"0\r\n\r\n".length}\r\n`,
        "blank before a header's colon",
      ],
      [
        "Host: a\r\nTransfer-Encoding\t: chunked\r\n",
        "blank before a header's colon",
      ],
      // A bare CR splits a line for Python's parser, so the field count
      // may hide a line it stops at: the check must not depend on it.
      [
        `A: 1\rB: 2\r\nContent-Length : ${"0\r\n\r\n".length}\r\n`,
        "blank before a header's colon",
      ],
      // RFC 9112 §2.2: a bare CR is not a line break for a proxy, which may
      // read these as one field; nor is a line without a colon the end of
      // the fields for every proxy, which may read what follows.
      [
        `X: a\rContent-Length: ${"0\r\n\r\n".length}\r\n`,
        "Content-Length or Transfer-Encoding after a bare CR or a malformed line",
      ],
      [
        "X: a\rTransfer-Encoding: chunked\r\n",
        "Content-Length or Transfer-Encoding after a bare CR or a malformed line",
      ],
      [
        "X: a\r\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length or Transfer-Encoding after a bare CR or a malformed line",
      ],
      [
        `No colon\r\nContent-Length: ${"0\r\n\r\n".length}\r\n`,
        "Content-Length or Transfer-Encoding after a bare CR or a malformed line",
      ],
      [
        "Bad Name: 1\r\ntransfer-encoding: chunked\r\n",
        "Content-Length or Transfer-Encoding after a bare CR or a malformed line",
      ],
    ]
  ) {
    Logged.lines = [];
    const r = await run(
      `POST /x HTTP/1.1\r\n${headers}\r\n0\r\n\r\n${SMUGGLED}`,
    );
    match(r.output, /^HTTP\/1\.1 400 Bad request: /, headers);
    ok(r.output.includes("\r\nConnection: close\r\n"), headers);
    deepEqual(r.served, [], headers);
    equal(Logged.lines[0], `code 400, message Bad request: ${message}`);
  }
});

Deno.test("smuggling: an unread Content-Length body is skipped, never served", async () => {
  const body = SMUGGLED;
  let r = await run(
    `POST /ignore HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}${NEXT}`,
  );
  deepEqual(r.served, ["/ignore", "/next"]);
  // Partly read, and arriving in pieces.
  r = await run([
    `POST /read-half HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\nGE`,
    body.slice(2, 10),
    body.slice(10) + NEXT,
  ]);
  deepEqual(r.served, ["/read-half", "/next"]);
  equal(r.output.match(/HTTP\/1\.1 200/g)?.length, 2);
});

Deno.test("smuggling: reading past the body closes the connection", async () => {
  let r = await run(
    `POST /read-more HTTP/1.1\r\nContent-Length: 2\r\n\r\nab${NEXT}`,
  );
  deepEqual(r.served, ["/read-more"]);
  r = await run(`GET /read-past HTTP/1.1\r\n\r\n${SMUGGLED}${NEXT}`);
  deepEqual(r.served, ["/read-past"]);
});

Deno.test("smuggling: a large unread body closes the connection instead", async () => {
  const size = 300 * 1024;
  const r = await run(
    `POST /ignore HTTP/1.1\r\nContent-Length: ${size}\r\n\r\n${
      "x".repeat(size)
    }${NEXT}`,
  );
  deepEqual(r.served, ["/ignore"]);
});

const CHUNKED = `POST /CHUNKS HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n` +
  `${
    SMUGGLED.length.toString(16)
  }\r\n${SMUGGLED}\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n`;

Deno.test("smuggling: chunked bodies, read by the handler or discarded", async () => {
  let r = await run(CHUNKED.replace("/CHUNKS", "/read-chunked") + NEXT);
  deepEqual(r.served, ["/read-chunked", "/next"]);
  r = await run(CHUNKED.replace("/CHUNKS", "/ignore") + NEXT);
  deepEqual(r.served, ["/ignore", "/next"]);
  r = await run([
    CHUNKED.replace("/CHUNKS", "/ignore").slice(0, 70),
    CHUNKED.slice(70) + NEXT,
  ]);
  deepEqual(r.served, ["/ignore", "/next"]);
  // Malformed: the rest cannot be found, so the connection closes.
  r = await run(
    `POST /ignore HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${NEXT}`,
  );
  deepEqual(r.served, ["/ignore"]);
  // HTTP/1.0 with Transfer-Encoding: framing not trusted (RFC 9112 6.1).
  r = await run(
    CHUNKED.replace("/CHUNKS HTTP/1.1", "/read-chunked HTTP/1.0").replace(
      "\r\n\r\n",
      "\r\nConnection: keep-alive\r\n\r\n",
    ) + NEXT,
  );
  deepEqual(r.served, ["/read-chunked"]);
});

Deno.test("smuggling: odd chunk sizes, extensions and trailers never let a body through", async () => {
  const post = (body: string) =>
    `POST /ignore HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${body}${NEXT}`;
  const size = SMUGGLED.length.toString(16);
  // Followed to their end: the next request is served.
  for (
    const body of [
      `${size.toUpperCase()}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `000${size}\r\n${SMUGGLED}\r\n0000\r\n\r\n`,
      `${size} \t;a=b;c="d, e"\r\n${SMUGGLED}\r\n0;x\r\n\r\n`,
      `0\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n`,
    ]
  ) {
    deepEqual((await run(post(body))).served, ["/ignore", "/next"], body);
  }
  // Malformed: where the body ends cannot be known, so the connection
  // closes after the answer (Python would read each of them as requests).
  for (
    const body of [
      `+${size}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `0x${size}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `-${size}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `${"0".repeat(14)}${size}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `${"f".repeat(14)}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `${size}\n${SMUGGLED}\n0\n\n`,
      `${size};a\nb\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      `${size}\r\n${SMUGGLED}xx\r\n0\r\n\r\n`,
      `0\r\n${SMUGGLED}`,
      `0\r\nT: 1\n\r\n`,
      `\r\n${SMUGGLED}`,
    ]
  ) {
    deepEqual((await run(post(body))).served, ["/ignore"], body);
  }
});
