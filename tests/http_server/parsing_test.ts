/**
 * The pure parts of the HTTP engine, without sockets: the request line and
 * the header block against CPython 3.13 itself (skipped without it), and
 * the framing rules, chunked decoding and response heads on their own.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import { havePython313, pythonJson } from "../_python.ts";
import { ChunkedDecoder } from "../../http_server/_chunked.ts";
import { requestFraming } from "../../http_server/_framing.ts";
import {
  MAX_HEADERS,
  readHeaderBlock,
} from "../../http_server/_header_block.ts";
import {
  parseRequestLine,
  splitWords,
  stripLineEnd,
} from "../../http_server/_request_line.ts";
import {
  escapeLogMessage,
  headerLine,
  statusLine,
} from "../../http_server/_response_head.ts";
import { latin1Encode } from "../../_util/latin1.ts";
import { runScript } from "../_deno_script.ts";
import {
  headEnd,
  parseResponseHead,
} from "../../http_server/_wire_response.ts";

const hasPython = havePython313();

/** Seeded pseudo-random numbers (mulberry32), so failures repeat. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUEST_LINES = [
  "GET / HTTP/1.0",
  "GET /a/b?c=d HTTP/1.1",
  "GET /",
  "POST /x",
  "GET",
  "",
  "   ",
  "GET / HTTP/1.0 extra",
  "GET / x HTTP/1.1",
  "GET / HTTX/1.0",
  "GET / HTTP/1",
  "GET / HTTP/1.1.1",
  "GET / HTTP/2.0",
  "GET / HTTP/1.2",
  "GET / HTTP/9.9",
  "GET / HTTP/01.01",
  "GET / HTTP/1.",
  "GET / HTTP/.1",
  "GET / HTTP/12345678901.1",
  "GET / HTTP/1.12345678901",
  "GET / HTTP/\u00b2.1",
  "GET / HTTP/1.\u00b9",
  "GET\t/notes.txt\tHTTP/1.0",
  "GET  /  HTTP/1.0",
  "GET /\u00a0HTTP/1.0",
  "GET /\u0085 HTTP/1.0",
  "GET /\x1c HTTP/1.0",
  "GET /\x0b HTTP/1.1",
  "GET //evil.com/x HTTP/1.0",
  "GET ///a HTTP/1.0",
  "GET // HTTP/1.0",
  "get / HTTP/1.0",
  "GET /caf\u00c3\u00a9 HTTP/1.0",
  "GET /\x01\x02 HTTP/1.0",
  "GET / HTTP/1.0 ",
  " GET / HTTP/1.0",
  "GET / 'HTTP/1.0\"",
];

const PY_REQUEST_LINE = `
import json, sys
from http.server import BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def __init__(self, protocol):
        self.protocol_version = protocol
        self.errors = []
    def send_error(self, code, message=None, explain=None):
        self.errors.append([code, message, self.request_version])
out = []
for line, protocol in json.load(sys.stdin):
    h = H(protocol)
    h.raw_requestline = line.encode("latin-1") + b"\\r\\n"
    import io
    h.rfile = io.BytesIO(b"\\r\\n")
    ok = h.parse_request()
    out.append({
        "ok": ok, "errors": h.errors, "command": h.command,
        "path": getattr(h, "path", None), "version": h.request_version,
        "close": h.close_connection, "requestline": h.requestline,
    })
print(json.dumps(out))
`;

Deno.test({
  name: "request line: what CPython 3.13's parse_request decides",
  ignore: !hasPython,
  async fn() {
    const inputs: [string, string][] = [];
    for (const line of REQUEST_LINES) {
      for (const protocol of ["HTTP/1.0", "HTTP/1.1"]) {
        inputs.push([line, protocol]);
      }
    }
    const next = random(9);
    const words = ["GET", "HEAD", "POST", "/", "/x y", "HTTP/1.1", "HTTP/1.0"];
    const seps = [" ", "  ", "\t", "\x0b", "\xa0", "\x85", "\x1f", "\x1c"];
    for (let i = 0; i < 300; i++) {
      let line = "";
      const count = Math.floor(next() * 5);
      for (let w = 0; w < count; w++) {
        if (w > 0 || next() < 0.2) {
          line += seps[Math.floor(next() * seps.length)];
        }
        line += words[Math.floor(next() * words.length)];
      }
      inputs.push([line, next() < 0.5 ? "HTTP/1.0" : "HTTP/1.1"]);
    }
    type Py = {
      ok: boolean;
      errors: [number, string, string][];
      command: string | null;
      path: string | null;
      version: string;
      close: boolean;
      requestline: string;
    };
    const expected = await pythonJson<Py[]>(PY_REQUEST_LINE, { input: inputs });
    inputs.forEach(([line, protocol], i) => {
      const py = expected[i]!;
      const requestline = stripLineEnd(line + "\r\n");
      equal(requestline, py.requestline);
      const ours = parseRequestLine(requestline, protocol, "HTTP/0.9");
      const label = `${JSON.stringify(line)} (${protocol})`;
      if (ours.kind === "ok") {
        equal(py.ok, true, label);
        equal(ours.command, py.command, label);
        equal(ours.path, py.path, label);
        equal(ours.requestVersion, py.version, label);
        equal(ours.closeConnection, py.close, label);
      } else if (ours.kind === "error") {
        deepEqual(
          [[ours.code, ours.message, ours.requestVersion]],
          py.errors,
          `${label}: ${JSON.stringify(ours)} vs ${JSON.stringify(py)}`,
        );
      } else {
        deepEqual([py.ok, py.errors], [false, []], label);
      }
    });
  },
});

const HEADER_BLOCKS: string[][] = [
  ["Host: a\r\n"],
  ["Host: a\r\n", "Host: b\r\n", "X-A: 1\r\n", "x-a: 2\r\n"],
  ["X: a\r\n", " b\r\n", "\tc\r\n", "Y: d\r\n"],
  [" leading continuation\r\n", "X: 1\r\n"],
  ["Broken header\r\n", "X: 1\r\n"],
  ["X: 1\r\n", "Broken header\r\n", "Y: 2\r\n"],
  ["Host : x\r\n", "Y: 2\r\n"],
  [":nameless\r\n", "X: 1\r\n", " folded\r\n"],
  ["X: a\rY: b\r\n"],
  ["X: a\r\r\n", "Y: b\r\n"],
  ["X:no space\r\n", "Y:   \t spaced  \r\n"],
  ["X: trailing  \r\n"],
  ["From someone\r\n", "X: 1\r\n"],
  ["X: 1\r\n", "From someone\r\n", "Y: 2\r\n"],
  ["X: 1\r\n", "From someone\r\n"],
  ["From someone\r\n"],
  ["X: caf\u00e9\r\n", "Y: \x01\x7f\r\n"],
  ["X: a\n", "Y: b\n"],
  ["X-\u00e9: 1\r\n", "Z: 2\r\n"],
  ["X: 1", "\r\n"],
  ["\x00bad: 1\r\n"],
  ["Empty:\r\n", "Also-Empty: \r\n"],
];

const PY_HEADERS = `
import json, sys, io, http.client
out = []
for lines in json.load(sys.stdin):
    raw = "".join(lines).encode("latin-1") + b"\\r\\n"
    msg = http.client.parse_headers(io.BytesIO(raw))
    out.append(msg.items())
print(json.dumps(out))
`;

Deno.test({
  name: "header block: the fields http.client.parse_headers gives",
  ignore: !hasPython,
  async fn() {
    const expected = await pythonJson<[string, string][][]>(
      PY_HEADERS,
      { input: HEADER_BLOCKS },
    );
    if (expected === null) throw new Error("CPython did not answer");
    HEADER_BLOCKS.forEach((lines, i) => {
      deepEqual(
        readHeaderBlock(lines).fields,
        expected[i],
        JSON.stringify(lines),
      );
    });
  },
});

Deno.test("header block: the rules on their own", () => {
  deepEqual(readHeaderBlock(["A: 1\r\n", " 2\r\n"]).fields, [["A", "1\r\n 2"]]);
  deepEqual(readHeaderBlock(["A: 1\r\n", "junk\r\n", "B: 2\r\n"]).fields, [[
    "A",
    "1",
  ]]);
  equal(MAX_HEADERS, 100);
  deepEqual(splitWords("a\u00a0b\x1cc  d"), ["a", "b", "c", "d"]);
});

Deno.test("header block: bare CRs may not break it into more lines than Python reads (431, no fields)", () => {
  // 98 lines from the CRs, one more from the last line, the blank line:
  // 100, Python's limit. One CR more is one line too many.
  const atLimit = ["A: 1" + "\r B".repeat(98) + "\r\n"];
  const { fields, refusal } = readHeaderBlock(atLimit);
  equal(refusal, null);
  equal(fields.length, 1);
  equal(fields[0]![1].split("\r").length, 99);
  deepEqual(readHeaderBlock(["A: 1" + "\r B".repeat(99) + "\r\n"]), {
    fields: [],
    refusal: {
      code: 431,
      message: "Too many headers",
      explain: "bare CRs break the header block into more than 100 lines",
    },
  });
  // Spread over lines, ending CRs (CRLF, a last CR) not counted.
  const spread = Array.from({ length: 49 }, () => "X: a\rY: b\r\n");
  equal(readHeaderBlock([...spread, "Z: c\r\n"]).refusal, null);
  equal(readHeaderBlock([...spread, "Z: c\rW: d\r\n"]).refusal?.code, 431);
  equal(readHeaderBlock(["X: a\r", "Y: b\r\r\n"]).refusal, null);
  // The flood that took seconds: 90 lines of 65,000 CRs.
  const flood = Array.from({ length: 90 }, () => "X: " + "\r".repeat(65000));
  equal(readHeaderBlock(flood).refusal?.code, 431);
});

Deno.test("framing: lengths, chunked, and every ambiguity refused", () => {
  const f = (cl: string[], te: string[] = []) =>
    requestFraming({ contentLength: cl, transferEncoding: te });
  deepEqual(f([]), { kind: "none" });
  deepEqual(f(["0"]), { kind: "none" });
  deepEqual(f(["12"]), { kind: "length", length: 12 });
  deepEqual(f([" 7\t"]), { kind: "length", length: 7 });
  deepEqual(f(["5", "5"]), { kind: "length", length: 5 });
  deepEqual(f([], ["chunked"]), { kind: "chunked" });
  deepEqual(f([], ["gzip, chunked"]), { kind: "chunked" });
  deepEqual(f([], ["gzip", "Chunked"]), { kind: "chunked" });
  for (
    const [cl, te] of [
      [["abc"], []],
      [["-1"], []],
      [["+5"], []],
      [["5, 5"], []],
      [["1e3"], []],
      [["99999999999999999999"], []],
      [["5", "6"], []],
      [[""], []],
      [["5"], ["chunked"]],
      [[], ["gzip"]],
      [[], ["chunked, gzip"]],
      [[], ["chunked", "chunked"]],
      [[], [""]],
      [[], ["identity"]],
    ] as [string[], string[]][]
  ) {
    equal(f(cl, te).kind, "invalid", JSON.stringify([cl, te]));
  }
});

function decodeAll(
  text: string,
  pieces = 1,
): { data: string; used: number; done: boolean; error: string | null } {
  const bytes = latin1Encode(text);
  const decoder = new ChunkedDecoder();
  let data = "";
  let used = 0;
  const size = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length && !decoder.done; at += size) {
    const piece = bytes.subarray(at, at + size);
    const n = decoder.decode(piece, (d) => data += new TextDecoder().decode(d));
    used += n;
    if (decoder.error !== null || n < piece.length) break;
  }
  return { data, used, done: decoder.done, error: decoder.error };
}

Deno.test("chunked decoder: data, extensions, trailers, split anywhere", () => {
  const body = "4\r\nWiki\r\n5;ext=1\r\npedia\r\nE \r\n in\r\n\r\nchunks.\r\n" +
    "0\r\nTrailer: x\r\n\r\n";
  for (const pieces of [1, 2, 7, body.length]) {
    const r = decodeAll(body + "NEXT", pieces);
    equal(r.data, "Wikipedia in\r\n\r\nchunks.", `${pieces} pieces`);
    equal(r.done, true);
    equal(r.used, body.length);
  }
  equal(decodeAll("A\r\n0123456789\r\n0\r\n\r\n").data, "0123456789");
});

Deno.test("chunked decoder: malformed input is refused", () => {
  for (
    const bad of [
      "x\r\n",
      "\r\n",
      "3\nabc\r\n0\r\n\r\n",
      "3\r\nabcd\r\n",
      "3\r\nabc\n0\r\n\r\n",
      "3 x\r\nabc\r\n",
      "fffffffffffffff\r\n",
      "0\r\nT: x\n\r\n",
      "0\r\n\n",
      `1;${"e".repeat(5000)}\r\n`,
      // A trailer line must be a field line: a request after a last chunk
      // without its final CRLF is not a trailer.
      "0\r\nGET /next HTTP/1.1\r\n\r\n",
      "0\r\n: x\r\n\r\n",
      "0\r\nT x\r\n\r\n",
      "0\r\n x: 1\r\n\r\n",
    ]
  ) {
    const r = decodeAll(bad);
    equal(r.done, false, JSON.stringify(bad));
    equal(typeof r.error, "string", JSON.stringify(bad));
  }
});

Deno.test("response head: lines checked, head found, parsed back", () => {
  equal(statusLine("HTTP/1.0", 200, "OK"), "HTTP/1.0 200 OK\r\n");
  equal(statusLine("HTTP/1.1", 599, ""), "HTTP/1.1 599 \r\n");
  throws(() => statusLine("HTTP/1.1", 42, "x"), RangeError);
  throws(() => statusLine("HTTP/1.1", 200.5, "x"), RangeError);
  throws(() => statusLine("HTTP/1.1", 200, "a\r\nb"), TypeError);
  throws(() => statusLine("HTTP/1.1", 200, "\u2603"), TypeError);
  equal(headerLine("X-A", "caf\u00e9"), "X-A: caf\u00e9\r\n");
  throws(() => headerLine("X A", "v"), TypeError);
  throws(() => headerLine("X-A", "a\nb"), TypeError);
  throws(() => headerLine("X-A", "a\0b"), TypeError);
  deepEqual([...latin1Encode("\u00e9A")], [0xe9, 0x41]);
  equal(escapeLogMessage("a\x1b[31m\\\n\x85"), "a\\x1b[31m\\\\\\x0a\\x85");
  const wire = latin1Encode(
    "HTTP/1.1 418 I'm a teapot\r\nA: 1\r\n b\r\nB:2\r\n\r\nbody",
  );
  const end = headEnd(wire);
  equal(end, wire.length - 4);
  deepEqual(
    parseResponseHead(new TextDecoder().decode(wire.subarray(0, end - 4))),
    {
      status: 418,
      reason: "I'm a teapot",
      headers: [["A", "1 b"], ["B", "2"]],
    },
  );
  equal(parseResponseHead("<html>"), null);
  equal(headEnd(latin1Encode("HTTP/1.0 200 OK\n\nx")), 17);
});

Deno.test("header values with long runs of blanks are read in linear time", async () => {
  // Trimming by a regular expression (`/^[ \t]+|[ \t]+$/g`, or `\s*` on
  // both sides of an optional part) backtracks over a run of blanks inside
  // a value once for each blank: a 65,536-byte header took 2 s of the one
  // thread. Here a MiB of blanks would take minutes that way; the child is
  // stopped after 30 s, and its last line says which read was stuck.
  const module = (name: string) =>
    JSON.stringify(new URL(`../../http_server/${name}`, import.meta.url).href);
  const source = `
    import { requestFraming } from ${module("_framing.ts")};
    import { parseRange } from ${module("_range.ts")};
    import { parseResponseHead } from ${module("_wire_response.ts")};
    const blanks = " \\t".repeat(1 << 19);
    console.log(requestFraming({ contentLength: ["1" + blanks + "1"], transferEncoding: [] }).kind);
    console.log(requestFraming({ contentLength: [], transferEncoding: ["a" + blanks + "a"] }).kind);
    console.log(parseRange("bytes=" + blanks + "x", 100));
    console.log(parseRange("bytes=1" + blanks + "-" + blanks + "x", 100));
    console.log(parseResponseHead("HTTP/1.1 200 OK\\r\\nA: x" + blanks + "x")?.status);
  `;
  const out = await runScript(source, []);
  equal(out.stderr, "");
  deepEqual(out.stdout.trim().split("\n"), [
    "invalid",
    "invalid",
    "null",
    "null",
    "200",
  ]);
});
