/**
 * The raw requests the differential test sends to both servers, and the
 * explicit table of differences it allows between CPython 3.13 and ours.
 *
 * @module
 */

import { buildRequest, header, type RawResponse } from "./_diff_http.ts";
import { type Tree, urlPath } from "./_diff_tree.ts";

/** What makes a case special, for the allowances. */
export type CaseTag =
  | "range" // carries a Range header
  | "outside" // reaches a symlink that leaves the root
  | "engine" // malformed enough that Deno.serve may answer before our code
  | "http09" // an HTTP/0.9 request (no version)
  | "raw-utf8" // raw non-ASCII bytes in the request line
  | "absolute-form" // request target is a full URL
  | "leading-crlf"; // an empty line before the request line

/** One request sent to both servers. */
export interface Case {
  name: string;
  request: string | Uint8Array;
  head?: boolean;
  tags?: CaseTag[];
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
    tags: ["engine", "raw-utf8"],
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
      "/evil.com",
      "/%5cevil.com",
      "http://127.0.0.1/notes.txt",
      "notes.txt",
      "*",
    ]
  ) {
    const tags: CaseTag[] = t === "notes.txt" || t === "*"
      ? ["engine"]
      : t.startsWith("http:")
      ? ["absolute-form"]
      : [];
    add({ name: `GET ${t}`, request: get(t), tags });
  }
  add({ name: "GET 8000-char path", request: get("/" + "a".repeat(8000)) });
  add({
    name: "GET 70000-char path",
    request: get("/" + "a".repeat(70000)),
    tags: ["engine"],
  });

  // Methods.
  for (const m of ["POST", "PUT", "DELETE", "PATCH", "FOO", "get", "OPTIONS"]) {
    add({
      name: `${m} /`,
      request: buildRequest(m, "/", { ...HOST, "Content-Length": "0" }),
    });
  }
  add({ name: "OPTIONS *", request: buildRequest("OPTIONS", "*", HOST) });
  add({
    name: "CONNECT",
    request: buildRequest("CONNECT", "evil.com:443", HOST),
    tags: ["engine"],
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
  for (const [label, raw] of malformed) {
    const tags: CaseTag[] = raw.startsWith("\r\n")
      ? ["engine", "leading-crlf"]
      : ["engine"];
    add({ name: `malformed: ${label}`, request: raw, tags });
  }

  // HTTP/0.9 and missing Host.
  add({
    name: "HTTP/0.9 GET file",
    request: "GET /notes.txt\r\n",
    tags: ["http09", "engine"],
  });
  add({
    name: "HTTP/0.9 POST",
    request: "POST /notes.txt\r\n",
    tags: ["http09", "engine"],
  });
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

/** One field that differs between the two servers for one case. */
export interface Difference {
  case: string;
  field: string;
  python: string;
  ours: string;
}

/** A difference we accept, with the reason. */
export interface Allowance {
  id: string;
  reason: string;
  allows(d: Difference, c: Case, py: RawResponse, ours: RawResponse): boolean;
}

function requestLine(c: Case): string {
  const text = typeof c.request === "string"
    ? c.request
    : new TextDecoder().decode(c.request);
  return text.split("\r\n")[0] ?? "";
}

const TEXTY = /^(text\/|application\/(javascript|json|xml)|image\/svg\+xml)/i;

function sameBodyRange(py: RawResponse, ours: RawResponse): boolean {
  const cr = header(ours, "content-range");
  const m = cr && /^bytes (\d+)-(\d+)\/(\d+)$/.exec(cr);
  if (!m) return false;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (total !== py.body.length || end >= total || start > end) return false;
  const slice = py.body.subarray(start, end + 1);
  return ours.body.length === slice.length &&
    ours.body.every((b, i) => b === slice[i]);
}

/**
 * The explicit table of accepted differences. Each entry is a documented
 * improvement of ours or a behaviour of Deno.serve we cannot change.
 */
export const ALLOWANCES: readonly Allowance[] = [
  {
    id: "charset",
    reason:
      "ours adds '; charset=utf-8' to text types (documented improvement)",
    allows: (d) =>
      d.field === "content-type" && TEXTY.test(d.python) &&
      d.ours.toLowerCase() === `${d.python}; charset=utf-8`.toLowerCase(),
  },
  {
    id: "range",
    reason:
      "ours honours Range (206 with the right slice, 416 when unsatisfiable); Python ignores it",
    allows: (_d, c, py, ours) => {
      if (!c.tags?.includes("range") || py.status !== 200) return false;
      if (ours.status === 416) return true;
      return ours.status === 206 && sameBodyRange(py, ours);
    },
  },
  {
    id: "outside-symlink",
    reason:
      "ours refuses a symlink that resolves outside the root (403/404); Python follows it",
    allows: (_d, c, _py, ours) =>
      !!c.tags?.includes("outside") &&
      (ours.status === 403 || ours.status === 404),
  },
  {
    id: "engine-4xx",
    reason:
      "Deno.serve (hyper) parses the request itself and answers a malformed or unusual one (bad version, tab separators, header without colon or with space before it, bad Content-Length, over-long line, too many headers, target not starting with '/', HTTP/0.9) with a bare 400 before any handler runs; Python answers its own HTML error page, or is more lenient and serves it",
    allows: (d, c, _py, ours) =>
      !!c.tags?.includes("engine") && ours.status >= 400 &&
      ours.status < 500 &&
      ["status", "content-type", "content-length", "last-modified", "body"]
        .includes(d.field),
  },
  {
    id: "system-mime-types",
    reason:
      "Python's mimetypes also reads the machine's /etc/mime.types, which can override its built-in table (here .xml: application/xml); ours gives CPython's built-in type (text/xml), the same on every machine",
    allows: (d) =>
      d.field === "content-type" && d.python === "application/xml" &&
      /^text\/xml(; charset=utf-8)?$/i.test(d.ours),
  },
  {
    id: "backslash-separator",
    reason:
      "ours treats a backslash (raw or %5c) in the path as a separator on every system (documented in http_server/_translate.ts), so /%5cevil.com is /evil.com; Python on POSIX takes it as part of a file name",
    allows: (_d, c) => /\\|%5c/i.test(requestLine(c)),
  },
  {
    id: "leading-crlf",
    reason:
      "an empty line before the request line is skipped by Deno.serve (RFC 9112 section 2.2) and the request served; Python reads it as an empty request and closes without answering",
    allows: (_d, c, py, ours) =>
      !!c.tags?.includes("leading-crlf") && py.status === 0 &&
      py.body.length === 0 && ours.status === 200,
  },
  {
    id: "raw-utf8",
    reason:
      "raw UTF-8 bytes in the request line: Deno.serve hands the handler a URL with them percent-encoded as UTF-8, so ours finds the file; Python decodes the line as Latin-1 and looks up a mojibake name (404)",
    allows: (_d, c, py, ours) =>
      !!c.tags?.includes("raw-utf8") && py.status === 404 &&
      (ours.status === 200 || ours.status === 404 || ours.status === 400),
  },
  {
    id: "absolute-form",
    reason:
      "an absolute-form target (GET http://host/path) is parsed by Deno.serve as a URL (RFC 9112 section 3.2.2 says servers must accept it), so ours may serve /path; Python takes the whole URL as a path and 404s",
    allows: (_d, c, py, ours) =>
      !!c.tags?.includes("absolute-form") && py.status === 404 &&
      (ours.status === 200 || ours.status === 404),
  },
  {
    id: "python-nul",
    reason:
      "a NUL byte (%00) in the path makes CPython's handler raise ValueError and drop the connection with no response; ours answers a 4xx",
    allows: (_d, _c, py, ours) =>
      py.status === 0 && py.body.length === 0 && ours.status >= 400 &&
      ours.status < 500,
  },
];
