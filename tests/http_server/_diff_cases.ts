/**
 * The raw requests the differential test sends to both servers, and the
 * explicit table of differences it allows between CPython 3.13 and ours:
 * each one a documented improvement, with its reason.
 *
 * @module
 */

import { buildRequest, header, type RawResponse } from "./_diff_http.ts";
import { type Tree, urlPath } from "./_diff_tree.ts";

/** What makes a case special, for the allowances. */
export type CaseTag =
  | "range" // carries a Range header
  | "outside" // reaches a symlink that leaves the root
  | "framing" // a body length Python ignores and we refuse (400)
  | "http09" // an HTTP/0.9 request (no version)
  | "wire"; // a protocol-level case, sent as is in both modes

/** One request (or several, pipelined) sent to both servers. */
export interface Case {
  name: string;
  request: string | Uint8Array;
  /** The (first) request is HEAD: its response has no body. */
  head?: boolean;
  tags?: CaseTag[];
  /** Half-close after sending (the server sees the end of stream). */
  halfClose?: boolean;
  /** Read up to this many responses (pipelined requests); default 1. */
  responses?: number;
}

/** What one server did with one case. */
export interface CaseResult {
  /** Each response: status line, headers, body. */
  responses: Shown[];
  /** The server closed the connection after the last response. */
  closed: boolean;
  /** Log lines written for the case, time stamps made constant. */
  log: string[];
  /** Nothing (complete) came back within the time limit. */
  timedOut: boolean;
}

/** One response as compared. */
export interface Shown {
  /** The status line, or "" when there was none (HTTP/0.9 style). */
  statusLine: string;
  /** Interim (1xx) status lines before it. */
  interim: string[];
  /** `Name: value` lines in order, Date and runtime version made constant. */
  headers: string[];
  body: Uint8Array;
  raw: RawResponse;
}

const HOST = { Host: "localhost" };

function get(target: string, extra: Record<string, string> = {}): string {
  return buildRequest("GET", target, { ...HOST, ...extra });
}

/** Every case, built against the tree. */
export function buildCases(tree: Tree): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const both = (name: string, target: string, tags: CaseTag[] = []) => {
    add({ name: `GET ${name}`, request: get(target), tags });
    add({
      name: `HEAD ${name}`,
      request: buildRequest("HEAD", target, HOST),
      head: true,
      tags,
    });
  };

  both("/", "/");
  for (const f of tree.files) both(f, urlPath(f));
  for (const d of tree.dirs) {
    both(`${d}/`, urlPath(d) + "/");
    add({ name: `GET ${d} (no slash)`, request: get(urlPath(d)) });
    add({
      name: `GET ${d}?q (no slash, query)`,
      request: get(urlPath(d) + "?a=1&b=%20x"),
    });
  }
  add({
    name: "HEAD nested (no slash)",
    request: "HEAD /nested HTTP/1.0\r\n\r\n",
    head: true,
  });
  add({ name: "GET nested#frag (no slash)", request: get("/nested#frag") });
  add({ name: "GET nested?q#frag", request: get("/nested?x=1#frag") });
  add({ name: "GET nested/?q", request: get("/nested/?x=1") });
  for (const l of tree.links) {
    const tags: CaseTag[] = l.outside ? ["outside"] : [];
    both(`link ${l.path}`, urlPath(l.path) + (l.isDir ? "/" : ""), tags);
    if (l.isDir) {
      add({
        name: `GET link ${l.path} (no slash)`,
        request: get(urlPath(l.path)),
        tags,
      });
    }
  }
  add({
    name: "GET through outside dir link",
    request: get("/link_outside_dir/secret.txt"),
    tags: ["outside"],
  });

  // Missing things and odd suffixes.
  for (
    const t of [
      "/nope",
      "/nope/",
      "/nested/nope.txt",
      "/notes.txt/",
      "/notes.txt?x=1",
      "/notes.txt?",
      "/notes.txt#frag",
      "/notes.txt;param",
      "/UPPER.txt",
      "/./notes.txt",
      "/nested/./../notes.txt",
      "/nested//deeper/",
      "/empty//",
    ]
  ) add({ name: `GET ${t}`, request: get(t) });

  // Percent-encoding.
  for (
    const t of [
      "/hello%20world.txt",
      "/hello+world.txt",
      "/%68ello%20world.txt",
      "/caf%C3%A9.txt",
      "/caf%c3%a9.txt",
      "/cafe%CC%81.txt",
      "/caf%E9.txt",
      "/100%25.txt",
      "/100%.txt",
      "/50%2525.txt",
      "/50%25.txt",
      "/hash%23tag.txt",
      "/hash#tag.txt",
      "/%E6%97%A5%E6%9C%AC.txt",
      "/pct%252fdir/",
      "/pct%2fdir/",
      "/nested%2fdeeper/",
      "/space%20dir",
      "/caf%C3%A9%20dir",
      "/%2enested/",
      "/.dotdir/",
      "/%2Edotdir/inside.txt",
      "/tab%09here.txt",
      "/trailing%20space%20.txt",
      "/trailing%20space%20.txt%20",
    ]
  ) add({ name: `GET ${t}`, request: get(t) });
  add({
    name: "GET raw UTF-8 bytes in path",
    request: new TextEncoder().encode(get("/caf\u00e9.txt")),
  });

  // If-Modified-Since.
  const ims = (
    label: string,
    value: string,
    extra: Record<string, string> = {},
  ) =>
    add({
      name: `GET notes.txt IMS ${label}`,
      request: get("/notes.txt", { "If-Modified-Since": value, ...extra }),
    });
  ims("equal", "Tue, 05 Mar 2024 06:07:08 GMT");
  ims("later", "Wed, 06 Mar 2024 00:00:00 GMT");
  ims("earlier", "Mon, 04 Mar 2024 00:00:00 GMT");
  ims("malformed", "yesterday");
  ims("rfc850", "Tuesday, 05-Mar-24 06:07:08 GMT");
  ims("asctime", "Tue Mar  5 06:07:08 2024");
  ims("no tz", "Tue, 05 Mar 2024 06:07:08");
  ims("year 0000", "Tue, 05 Mar 0000 06:07:08 GMT");
  ims("year 9999", "Fri, 31 Dec 9999 23:59:59 GMT");
  ims("year 10000", "Sat, 01 Jan 10000 00:00:00 GMT");
  ims("year of 20 digits", "Tue, 05 Mar 99999999999999999999 06:07:08 GMT");
  ims("time 99:99:99", "Tue, 05 Mar 2024 99:99:99 GMT");
  ims("zone +9999", "Tue, 05 Mar 2024 06:07:08 +9999");
  ims(
    "two dates",
    "Tue, 05 Mar 2024 06:07:08 GMT, Wed, 06 Mar 2024 00:00:00 GMT",
  );
  ims("empty If-None-Match", "Tue, 05 Mar 2024 06:07:08 GMT", {
    "If-None-Match": "",
  });
  // More digits than Python's int() reads: no zone, so the date is UTC.
  ims("zone of 5,000 digits", "Tue, 05 Mar 2024 06:07:08 +" + "1".repeat(5000));
  ims("with INM", "Tue, 05 Mar 2024 06:07:08 GMT", { "If-None-Match": '"x"' });
  add({
    name: "GET dir IMS equal",
    request: get("/nested/", {
      "If-Modified-Since": "Tue, 05 Mar 2024 06:07:08 GMT",
    }),
  });
  add({
    name: "GET index dir IMS equal",
    request: get("/with_html/", {
      "If-Modified-Since": "Tue, 05 Mar 2024 06:07:08 GMT",
    }),
  });
  add({
    name: "HEAD notes.txt IMS equal",
    request: buildRequest("HEAD", "/notes.txt", {
      ...HOST,
      "If-Modified-Since": "Tue, 05 Mar 2024 06:07:08 GMT",
    }),
    head: true,
  });

  // Range: Python ignores it.
  for (
    const r of [
      "bytes=0-9",
      "bytes=5-",
      "bytes=-4",
      "bytes=100000000-",
      "bytes=0-0,2-3",
      "items=0-1",
    ]
  ) {
    add({
      name: `GET notes.txt Range ${r}`,
      request: get("/notes.txt", { Range: r }),
      tags: ["range"],
    });
  }
  add({
    name: "GET big.bin Range",
    request: get("/big.bin", { Range: "bytes=1000-70000" }),
    tags: ["range"],
  });

  // Traversal and redirect attempts.
  for (
    const t of [
      "/../secret.txt",
      "/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/..%2fsecret.txt",
      "/..%2Fsecret.txt",
      "/nested/..%2f..%2fsecret.txt",
      "/nested/%2e%2e/%2e%2e/secret.txt",
      "/..\\secret.txt",
      "/..%5csecret.txt",
      "/%5c..%5csecret.txt",
      "/%252e%252e/secret.txt",
      "/..;/secret.txt",
      "/%c0%ae%c0%ae/secret.txt",
      "/notes.txt%00",
      "/notes.txt%00.html",
      "/%00",
      "/nested%00/",
      "/...",
      "/.../secret.txt",
      "//evil.com/..",
      "//evil.com/%2e%2e",
      "//evil.com",
      "///evil.com/",
      "//evil.com/..%2f",
      "/\\evil.com/..",
      "/%2fevil.com/..",
      "/%2f%2fevil.com/%2e%2e",
      "//nested",
      "//nested?x=1",
      "/nested?",
      "/nested#",
      "/nested?#",
      "/nested?x=1#",
      "/nested?#f",
      "/nested#a?b",
      "/evil.com",
      "/%5cevil.com",
      "http://127.0.0.1/notes.txt",
      "http://127.0.0.1/../secret.txt",
      "http://127.0.0.1/..%2fsecret.txt",
      "/%c0%af",
      "/..%c0%af..%c0%afsecret.txt",
      "/notes.txt%ff",
      "/%ff/",
      "notes.txt",
      "*",
    ]
  ) add({ name: `GET ${t}`, request: get(t) });
  add({ name: "GET 8000-char path", request: get("/" + "a".repeat(8000)) });
  add({ name: "GET 70000-char path", request: get("/" + "a".repeat(70000)) });

  // Methods.
  for (
    const m of [
      "POST",
      "PUT",
      "DELETE",
      "PATCH",
      "FOO",
      "get",
      "OPTIONS",
      // `do_` + a name JavaScript objects inherit is no method either.
      "constructor",
      "__proto__",
      "hasOwnProperty",
      "G\0T",
      "G\u00ffT",
    ]
  ) {
    add({
      name: `${m} /`,
      request: buildRequest(m, "/", { ...HOST, "Content-Length": "0" }),
    });
  }
  add({ name: "OPTIONS *", request: buildRequest("OPTIONS", "*", HOST) });
  add({
    name: "CONNECT",
    request: buildRequest("CONNECT", "evil.com:443", HOST),
  });
  add({ name: "TRACE /", request: buildRequest("TRACE", "/", HOST) });

  // Malformed request lines and headers.
  const malformed: [string, string][] = [
    ["no target", "GET\r\n\r\n"],
    ["extra word", "GET / HTTP/1.0 extra\r\n\r\n"],
    ["bad protocol", "GET / HTTX/1.0\r\n\r\n"],
    ["short version", "GET / HTTP/1\r\n\r\n"],
    ["version 2.0", "GET / HTTP/2.0\r\n\r\n"],
    ["version 1.2", "GET / HTTP/1.2\r\n\r\n"],
    ["version 9.9", "GET / HTTP/9.9\r\n\r\n"],
    ["blank line then request", "\r\nGET /notes.txt HTTP/1.0\r\n\r\n"],
    ["tab separators", "GET\t/notes.txt\tHTTP/1.0\r\n\r\n"],
    ["header without colon", "GET / HTTP/1.0\r\nBroken header\r\n\r\n"],
    ["space before colon", "GET / HTTP/1.0\r\nHost : x\r\n\r\n"],
    [
      "length after a line without colon",
      "GET /notes.txt HTTP/1.0\r\nBroken header\r\nContent-Length: 0\r\n\r\n",
    ],
    [
      "folded content-length",
      "GET /notes.txt HTTP/1.0\r\nContent-Length: 0\r\n folded\r\n\r\n",
    ],
    ["bare LF", "GET /notes.txt HTTP/1.0\n\n"],
    ["control chars", "GET /\x01\x02 HTTP/1.0\r\n\r\n"],
    ["huge header", `GET / HTTP/1.0\r\nX-Big: ${"b".repeat(70000)}\r\n\r\n`],
    [
      "150 headers",
      "GET / HTTP/1.0\r\n" +
      Array.from({ length: 150 }, (_, i) => `X-H${i}: v\r\n`).join("") + "\r\n",
    ],
    ["bad content-length", "POST / HTTP/1.0\r\nContent-Length: abc\r\n\r\n"],
    [
      "negative content-length",
      "POST / HTTP/1.0\r\nContent-Length: -1\r\n\r\n",
    ],
  ];
  // Those whose body length ours refuses and Python ignores.
  const framing = [
    "bad content-length",
    "negative content-length",
    "space before colon",
    "length after a line without colon",
    "folded content-length",
  ];
  for (const [label, raw] of malformed) {
    const tags: CaseTag[] = framing.includes(label)
      ? ["framing", "wire"]
      : ["wire"];
    add({ name: `malformed: ${label}`, request: raw, tags });
  }

  // HTTP/0.9: no version, so no status line or headers in the answer.
  // Python reads headers even then, until a blank line or the end.
  const http09 = (name: string, request: string, halfClose = false) =>
    add({ name, request, tags: ["http09", "wire"], halfClose });
  http09("HTTP/0.9 GET file", "GET /notes.txt\r\n\r\n");
  http09("HTTP/0.9 GET listing", "GET /nested/\r\n\r\n");
  http09("HTTP/0.9 GET missing", "GET /nope\r\n\r\n");
  http09("HTTP/0.9 GET dir (redirect)", "GET /nested\r\n\r\n");
  http09("HTTP/0.9 GET with headers", "GET /notes.txt\r\nX: 1\r\n\r\n");
  http09("HTTP/0.9 GET, end of stream", "GET /notes.txt\r\n", true);
  http09("HTTP/0.9 POST", "POST /notes.txt\r\n\r\n");
  http09("HTTP/0.9 HEAD", "HEAD /notes.txt\r\n\r\n");
  add({ name: "HTTP/1.0 no Host", request: "GET /notes.txt HTTP/1.0\r\n\r\n" });
  add({
    name: "HTTP/1.1 no Host",
    request: "GET /notes.txt HTTP/1.1\r\nConnection: close\r\n\r\n",
  });
  add({
    name: "HTTP/1.1 with Host",
    request:
      "GET /notes.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
  });
  add({
    name: "HTTP/1.1 listing",
    request:
      "GET /nested/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
  });
  add({ name: "empty line only", request: "\r\n", tags: ["wire"] });
  add({
    name: "nothing, then end of stream",
    request: "",
    halfClose: true,
    tags: ["wire"],
  });
  add({
    name: "request line cut by end of stream",
    request: "GET /notes.txt HTTP/1.0",
    halfClose: true,
    tags: ["wire"],
  });
  add({
    name: "headers cut by end of stream",
    request: "GET /notes.txt HTTP/1.1\r\nHost: a\r\nX: 1",
    halfClose: true,
    tags: ["wire"],
  });

  // Connection management, in both protocol modes (sent as is).
  const wire = (name: string, request: string, responses = 1) =>
    add({ name, request, tags: ["wire"], responses });
  const v11 = (target: string, extra = "") =>
    `GET ${target} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`;
  const v10 = (target: string, extra = "") =>
    `GET ${target} HTTP/1.0\r\n${extra}\r\n`;
  wire("keep-alive: 1.1 plain", v11("/notes.txt"));
  wire(
    "keep-alive: 1.1 Connection: close",
    v11("/notes.txt", "Connection: close\r\n"),
  );
  wire(
    "keep-alive: 1.1 Connection: CLOSE",
    v11("/notes.txt", "Connection: CLOSE\r\n"),
  );
  wire(
    "keep-alive: 1.1 Connection: keep-alive",
    v11("/notes.txt", "Connection: keep-alive\r\n"),
  );
  wire(
    "keep-alive: 1.1 Connection: close, upgrade",
    v11("/notes.txt", "Connection: close, upgrade\r\n"),
  );
  wire(
    "keep-alive: 1.1 two Connection headers",
    v11("/notes.txt", "Connection: keep-alive\r\nConnection: close\r\n"),
  );
  wire("keep-alive: 1.0 plain", v10("/notes.txt"));
  wire(
    "keep-alive: 1.0 Connection: keep-alive",
    v10("/notes.txt", "Connection: keep-alive\r\n"),
  );
  wire("keep-alive: 1.1 error", v11("/nope", "Connection: keep-alive\r\n"));
  wire("keep-alive: 1.1 redirect", v11("/nested"));
  wire("keep-alive: 1.1 listing", v11("/nested/"));
  wire("keep-alive: 1.1 HEAD", "HEAD /notes.txt HTTP/1.1\r\nHost: a\r\n\r\n");
  wire(
    "keep-alive: 1.1 304",
    v11("/notes.txt", "If-Modified-Since: Tue, 05 Mar 2024 06:07:08 GMT\r\n"),
  );
  wire(
    "pipelined: three 1.1 requests",
    v11("/notes.txt") + v11("/nested/") + v11("/app.js"),
    3,
  );
  wire(
    "pipelined: error in the middle",
    v11("/notes.txt") + v11("/nope") + v11("/app.js"),
    3,
  );
  wire(
    "pipelined: close in the middle",
    v11("/notes.txt") + v11("/app.js", "Connection: close\r\n") +
      v11("/style.css"),
    3,
  );
  wire(
    "pipelined: 1.0 then 1.1",
    v10("/notes.txt", "Connection: keep-alive\r\n") + v11("/app.js"),
    2,
  );
  wire(
    "pipelined: POST with a body, then GET",
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" +
      v11("/notes.txt"),
    2,
  );

  // Expect: 100-continue.
  wire(
    "100-continue: POST",
    "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
  );
  wire("100-continue: GET", v11("/notes.txt", "Expect: 100-continue\r\n"));
  wire(
    "100-continue: 1.0 request",
    v10("/notes.txt", "Expect: 100-continue\r\n"),
  );
  wire(
    "100-continue: other expectation",
    v11("/notes.txt", "Expect: 200-ok\r\n"),
  );
  wire(
    "100-continue: upper case",
    v11("/notes.txt", "Expect: 100-CONTINUE\r\n"),
  );

  // Header counts and line lengths at Python's limits.
  const headers = (n: number) =>
    Array.from({ length: n }, (_, i) => `X-H${i}: v\r\n`).join("");
  for (const n of [98, 99, 100, 101]) {
    wire(`${n} headers`, v10("/notes.txt", headers(n)));
  }
  const target = (length: number) =>
    "/" + "a".repeat(length - "GET / HTTP/1.0\r\n".length);
  for (const n of [65535, 65536, 65537]) {
    wire(`request line of ${n} bytes`, v10(target(n)));
  }
  const header = (length: number) => `X: ${"b".repeat(length - 5)}\r\n`;
  for (const n of [65536, 65537]) {
    wire(`header line of ${n} bytes`, v10("/notes.txt", header(n)));
  }

  // Header syntax the email parser reads its own way.
  wire("folded header", v10("/notes.txt", "X: a\r\n b\r\n\tc\r\n"));
  wire("leading continuation", v10("/notes.txt", " folded\r\nX: 1\r\n"));
  wire("bare CR in a header", v10("/notes.txt", "X: a\rY: b\r\n"));
  wire("From line", v10("/notes.txt", "From me\r\nX: 1\r\n"));
  wire("colon first", v10("/notes.txt", ":x\r\nY: 1\r\n"));
  wire(
    "If-Modified-Since folded",
    v10(
      "/notes.txt",
      "If-Modified-Since: Tue, 05 Mar\r\n 2024 06:07:08 GMT\r\n",
    ),
  );
  wire(
    "repeated If-Modified-Since",
    v10(
      "/notes.txt",
      "If-Modified-Since: yesterday\r\nIf-Modified-Since: Tue, 05 Mar 2024 06:07:08 GMT\r\n",
    ),
  );
  return cases;
}

/**
 * The status a response stands for. Python answers a request it rejects
 * before learning its version with a bare HTML error page (no status line,
 * as HTTP/0.9 would have it); the code is read from that page.
 */
export function statusOf(res: RawResponse): number {
  if (res.status) return res.status;
  const m = /<p>Error code: (\d{3})<\/p>/.exec(
    new TextDecoder().decode(res.body),
  );
  return m ? Number(m[1]) : 0;
}

/**
 * A difference we accept, with the reason: each one a documented
 * improvement of ours. `undo` takes the improvement out of our result (or
 * accepts the whole case by returning Python's), when the case shows it.
 */
export interface Allowance {
  id: string;
  reason: string;
  undo(c: Case, py: CaseResult, ours: CaseResult): CaseResult | null;
}

function requestLine(c: Case): string {
  const text = typeof c.request === "string"
    ? c.request
    : new TextDecoder().decode(c.request);
  return text.split("\r\n")[0] ?? "";
}

const TEXTY = /^(text\/|application\/(javascript|json|xml)|image\/svg\+xml)/i;

/**
 * Whether ours is the part of Python's whole response its Content-Range
 * names; for HEAD (no bodies) the lengths the heads announce tell.
 */
function sameBodyRange(
  py: RawResponse,
  ours: RawResponse,
  head: boolean,
): boolean {
  const cr = header(ours, "content-range");
  const m = cr && /^bytes (\d+)-(\d+)\/(\d+)$/.exec(cr);
  if (!m) return false;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (end >= total || start > end) return false;
  if (head) {
    return String(total) === header(py, "content-length") &&
      String(end - start + 1) === header(ours, "content-length");
  }
  if (total !== py.body.length) return false;
  const slice = py.body.subarray(start, end + 1);
  return ours.body.length === slice.length &&
    ours.body.every((b, i) => b === slice[i]);
}

/** Ours with each response's header lines passed through `edit`. */
function editHeaders(
  ours: CaseResult,
  py: CaseResult,
  edit: (line: string, pyHeaders: readonly string[]) => string | null,
): CaseResult | null {
  let changed = false;
  const responses = ours.responses.map((shown, i) => {
    const pyHeaders = py.responses[i]?.headers ?? [];
    const headers: string[] = [];
    for (const line of shown.headers) {
      const edited = edit(line, pyHeaders);
      if (edited !== line) changed = true;
      if (edited !== null) headers.push(edited);
    }
    return { ...shown, headers };
  });
  return changed ? { ...ours, responses } : null;
}

const firstStatus = (r: CaseResult) => r.responses[0]?.raw.status ?? 0;

/**
 * Ours refused the request's framing and closed: a 400 "Bad request: ...",
 * seen in the status line, or in the log alone for an HTTP/0.9 request
 * (its response has no status line).
 */
function refusedFraming(ours: CaseResult): boolean {
  const first = ours.responses[0];
  if (!first || !ours.closed) return false;
  if (first.statusLine !== "") {
    return first.raw.status === 400 &&
      first.statusLine.includes("Bad request: ");
  }
  return ours.log.some((line) =>
    line.includes("code 400, message Bad request: ")
  );
}

/** The explicit table of accepted differences, each a documented improvement. */
export const ALLOWANCES: readonly Allowance[] = [
  {
    id: "etag-accept-ranges",
    reason:
      "ours sends ETag and Accept-Ranges with files (validators and ranges; documented improvement)",
    undo: (_c, py, ours) =>
      editHeaders(
        ours,
        py,
        (line, pyHeaders) =>
          /^(ETag|Accept-Ranges): /.test(line) && !pyHeaders.includes(line)
            ? null
            : line,
      ),
  },
  {
    id: "charset",
    reason:
      "ours adds '; charset=utf-8' to text types (documented improvement)",
    undo: (_c, py, ours) =>
      editHeaders(ours, py, (line, pyHeaders) => {
        const m = /^(Content-type: )(.*); charset=utf-8$/.exec(line);
        if (!m || !TEXTY.test(m[2]!)) return line;
        const plain = m[1]! + m[2]!;
        return pyHeaders.includes(plain) ? plain : line;
      }),
  },
  {
    id: "system-mime-types",
    reason:
      "Python's mimetypes also reads the machine's /etc/mime.types, which can override its built-in table (here .xml: application/xml); ours gives CPython's built-in type (text/xml), the same on every machine",
    undo: (_c, py, ours) =>
      editHeaders(
        ours,
        py,
        (line, pyHeaders) =>
          /^Content-type: text\/xml(; charset=utf-8)?$/.test(line) &&
            pyHeaders.includes("Content-type: application/xml")
            ? "Content-type: application/xml"
            : line,
      ),
  },
  {
    id: "range",
    reason:
      "ours honours Range (206 with the right slice, 416 when unsatisfiable); Python ignores it",
    undo: (c, py, ours) => {
      if (!c.tags?.includes("range") || firstStatus(py) !== 200) return null;
      const theirs = py.responses[0]!.raw;
      const mine = ours.responses[0]!.raw;
      return mine.status === 416 ||
          (mine.status === 206 && sameBodyRange(theirs, mine, c.head ?? false))
        ? py
        : null;
    },
  },
  {
    id: "outside-symlink",
    reason:
      "ours refuses a symlink that resolves outside the root (404) unless --follow-symlinks; Python follows it",
    undo: (c, py, ours) =>
      c.tags?.includes("outside") && firstStatus(ours) === 404 ? py : null,
  },
  {
    id: "backslash-separator",
    reason:
      "ours treats a backslash sent as is in the path as a separator on every system, as browsers do (documented in http_server/_translate.ts), so /\\evil.com is /evil.com; Python on POSIX takes it as part of a file name (as both take %5C)",
    undo: (c, py) => requestLine(c).includes("\\") ? py : null,
  },
  {
    id: "python-nul",
    reason:
      "a NUL byte (%00) in the path makes CPython's handler raise ValueError and drop the connection with no response (and a traceback); ours answers 404",
    undo: (_c, py, ours) =>
      py.responses.length === 1 && py.responses[0]!.statusLine === "" &&
        py.responses[0]!.body.length === 0 &&
        py.log.some((line) => line.includes("ValueError")) &&
        firstStatus(ours) === 404
        ? py
        : null,
  },
  {
    id: "strict-framing",
    reason:
      "a request whose body length is malformed (Content-Length: abc, -1), or with a blank before a header's colon (which Python stops reading fields at, and a proxy may read), or with a Content-Length or Transfer-Encoding after a line Python stops reading fields at (a line without a colon), is refused with 400 and the connection closed, so no part of it can be read as another request (RFC 9112 sections 5.1 and 6.3); Python ignores Content-Length and answers what the handler does (501 for POST)",
    undo: (c, py, ours) =>
      c.tags?.includes("framing") && refusedFraming(ours) ? py : null,
  },
];
