import { deepEqual, equal } from "node:assert/strict";
import { posix } from "node:path";
import {
  httpDate,
  logDate,
  parseHttpDateUtc,
} from "../../http_server/_dates.ts";
import {
  encodeListing,
  listingHtml,
  sortEntries,
} from "../../http_server/_listing.ts";
import { isTextType, lookupMimeType } from "../../_util/mime_types.ts";
import { SimpleHTTPRequestHandler } from "../../http_server/simple_handler.ts";
import { havePython313, pythonJson } from "../_python.ts";
import { randomSource, testSeed } from "../_random.ts";
import { parseRange } from "../../http_server/_range.ts";
import { latin1Reason } from "../../http_server/_response_head.ts";
import {
  decodesAsUtf8,
  htmlEscape,
  quote,
  unquote,
} from "../../http_server/_text.ts";
import {
  normalizeUrlPath,
  translateAnyUrlPath,
  translateUrlPath,
} from "../../http_server/_translate.ts";

const WINDOWS = Deno.build.os === "windows";

Deno.test("translateUrlPath: Python's cases", { ignore: WINDOWS }, () => {
  const cases: [string, string][] = [
    ["/", "/srv/"],
    ["/a/b", "/srv/a/b"],
    ["/a/b/", "/srv/a/b/"],
    ["/a/b?x=1#f", "/srv/a/b"],
    ["/a/./b/../c/", "/srv/a/c/"],
    ["/caf%C3%A9.txt", "/srv/café.txt"],
    ["/a%20b", "/srv/a b"],
    ["", "/srv"],
  ];
  for (const [url, expected] of cases) {
    equal(translateUrlPath(url, "/srv"), expected, url);
  }
});

Deno.test(
  "translateUrlPath: the shortcut for plain paths gives what the full translation gives",
  { ignore: WINDOWS },
  () => {
    const paths = [
      "/a",
      "/a/",
      "/kib.bin",
      "/d01/f02.bin",
      "/a-b_c~d/e.f.g/",
      "/x/y/z/w",
      "/a..b",
      "/a./b.",
      // Not plain: these take the full translation; the answers must agree.
      "/",
      "/.hidden",
      "/a/../b",
      "/a//b",
      "/a%20b",
      "/a?x",
      "/a#f",
      "/a\\b",
      "/a:b",
      "a/b",
      "",
    ];
    for (const directory of ["/srv", "/srv/", "/", "www", "./www", ""]) {
      for (const path of paths) {
        equal(
          translateUrlPath(path, directory),
          translateAnyUrlPath(path, directory),
          `${JSON.stringify(path)} under ${JSON.stringify(directory)}`,
        );
      }
    }
  },
);

Deno.test(
  "translateUrlPath: nothing escapes the folder",
  { ignore: WINDOWS },
  () => {
    const hostile = [
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E%2F%2E%2E%2Fetc/passwd",
      "/a%2f..%2f..%2f..%2fetc/passwd",
      "/..\\..\\etc\\passwd",
      "/%5c..%5c..%5cetc/passwd",
      "//etc/passwd",
      "/./../.%2e/etc/passwd",
      "/C:/Windows/win.ini",
      // Relative targets: no leading slash, so normalizing keeps the `..`.
      "../../etc/passwd",
      "a/../../x",
      "..",
      "../",
      "%2e%2e/%2e%2e/etc/passwd",
      "a/b/../../../../etc/passwd",
    ];
    for (const url of hostile) {
      const path = translateUrlPath(url, "/srv");
      const resolved = posix.resolve(path);
      equal(
        resolved.startsWith("/srv/") || resolved === "/srv",
        true,
        `${url} -> ${path}`,
      );
      equal(path.split("/").includes(".."), false, `${url} -> ${path}`);
    }
    // A NUL stays in the name, so the file system refuses it (404).
    equal(translateUrlPath("/x%00y", "/srv"), "/srv/x\0y");
  },
);

Deno.test("normalizeUrlPath: posixpath.normpath", () => {
  deepEqual(
    ["/a//b/./c/..", "a/../../b", "/..", "", "./", "/a/b/"].map(
      normalizeUrlPath,
    ),
    ["/a/b", "../b", "/", ".", ".", "/a/b"],
  );
});

Deno.test("listingHtml: Python's exact page", () => {
  const entries = sortEntries([
    { name: "Zed", isDirectory: false, isSymlink: false },
    { name: "a b.txt", isDirectory: false, isSymlink: false },
    { name: "Sub", isDirectory: true, isSymlink: false },
    { name: "link", isDirectory: true, isSymlink: true },
    { name: "dangling", isDirectory: false, isSymlink: true },
    { name: "&<>'\".html", isDirectory: false, isSymlink: false },
    { name: "café.txt", isDirectory: false, isSymlink: false },
    { name: "100%.txt", isDirectory: false, isSymlink: false },
    { name: "beta", isDirectory: false, isSymlink: false },
  ]);
  // Printed by CPython 3.13's list_directory for the same folder.
  const expected =
    '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for /dir x/?q=&lt;b&gt;</title>\n</head>\n<body>\n<h1>Directory listing for /dir x/?q=&lt;b&gt;</h1>\n<hr>\n<ul>\n<li><a href="%26%3C%3E%27%22.html">&amp;&lt;&gt;\'".html</a></li>\n<li><a href="100%25.txt">100%.txt</a></li>\n<li><a href="a%20b.txt">a b.txt</a></li>\n<li><a href="beta">beta</a></li>\n<li><a href="caf%C3%A9.txt">café.txt</a></li>\n<li><a href="dangling">dangling@</a></li>\n<li><a href="link/">link@</a></li>\n<li><a href="Sub/">Sub/</a></li>\n<li><a href="Zed">Zed</a></li>\n</ul>\n<hr>\n</body>\n</html>\n';
  equal(listingHtml("/dir%20x/?q=<b>", entries), expected);
});

Deno.test("parseRange: single byte ranges", () => {
  deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
  deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
  deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 99 });
  deepEqual(parseRange("bytes=-1000", 100), { start: 0, end: 99 });
  deepEqual(parseRange("bytes=50-1000", 100), { start: 50, end: 99 });
  deepEqual(parseRange(" Bytes = 1 - 2 ", 100), { start: 1, end: 2 });
  // Empty list elements are skipped (RFC 9110 §5.6.1.2).
  deepEqual(parseRange("bytes=0-4,", 100), { start: 0, end: 4 });
  deepEqual(parseRange("bytes=, ,-10 ,", 100), { start: 90, end: 99 });
});

Deno.test("parseRange: unsatisfiable and ignored headers", () => {
  equal(parseRange("bytes=100-", 100), "unsatisfiable");
  equal(parseRange("bytes=200-300", 100), "unsatisfiable");
  equal(parseRange("bytes=-0", 100), "unsatisfiable");
  equal(parseRange("bytes=0-", 0), "unsatisfiable");
  equal(parseRange("bytes=-0", 0), "unsatisfiable");
  // A suffix of an empty file is all of it (RFC 9110 §14.1.1), sent as 200.
  equal(parseRange("bytes=-5", 0), null);
  for (
    const header of [
      "bytes=5-1",
      "bytes=-",
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=0-1,,5-6",
      "bytes=,",
      "bytes=a-b",
      "",
    ]
  ) {
    equal(parseRange(header, 100), null, header);
  }
});

Deno.test("lookupMimeType: CPython 3.13's types for common files", () => {
  const expected: Record<string, string> = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".mp4": "video/mp4",
    ".py": "text/x-python",
    ".xml": "text/xml",
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
  };
  for (const [ext, type] of Object.entries(expected)) {
    equal(lookupMimeType(ext), type, ext);
  }
  equal(lookupMimeType(".HTML"), "text/html");
  equal(lookupMimeType(".no-such-ext"), undefined);
  equal(isTextType("text/html"), true);
  equal(isTextType("application/json"), true);
  equal(isTextType("image/png"), false);
});

const PY_GUESSES = `
import json, mimetypes, posixpath
from http.server import SimpleHTTPRequestHandler

# CPython's built-in table alone: the host's /etc/mime.types left out.
table = mimetypes.MimeTypes(filenames=())
special = SimpleHTTPRequestHandler.extensions_map

def guess_type(path):
    # SimpleHTTPRequestHandler.guess_type, on the built-in table.
    base, ext = posixpath.splitext(path)
    if ext in special:
        return special[ext]
    if ext.lower() in special:
        return special[ext.lower()]
    return table.guess_type(path)[0] or "application/octet-stream"

exts = (set(table.types_map[True]) | set(table.suffix_map)
        | set(table.encodings_map))
names = []
for ext in sorted(exts):
    names += ["f" + ext, "F" + ext.upper(), "x.tar" + ext]
print(json.dumps([[name, guess_type(name)] for name in names]))
`;

Deno.test({
  name:
    "guess_type: every extension of CPython 3.13's built-in table gets Python's type",
  ignore: !havePython313(),
  async fn() {
    const python = await pythonJson<[string, string][]>(PY_GUESSES);
    const guess = (name: string) =>
      SimpleHTTPRequestHandler.prototype.guess_type.call(
        Object.create(SimpleHTTPRequestHandler.prototype),
        name,
      );
    const differing = python.filter(([name, type]) => guess(name) !== type)
      .map(([name, type]) => `${name}: Python ${type}, ours ${guess(name)}`);
    deepEqual(differing, []);
    equal(python.length > 450, true, `only ${python.length} names`);
  },
});

const PY_TRANSLATE = `
import json, sys
from http.server import SimpleHTTPRequestHandler
handler = SimpleHTTPRequestHandler.__new__(SimpleHTTPRequestHandler)
handler.directory = "/srv"
print(json.dumps([handler.translate_path(p) for p in json.load(sys.stdin)]))
`;

Deno.test({
  name:
    "translate_path agrees with CPython 3.13 on random URL paths (no raw backslash: ours separates there)",
  ignore: WINDOWS || !havePython313(),
  async fn() {
    const pick = randomSource(testSeed(20261134));
    const pieces = [
      "/",
      "//",
      "a",
      "b c",
      "..",
      ".",
      "...",
      "%2e%2e",
      "%2e",
      "%2F",
      "%20",
      "?",
      "#",
      "x?y",
      "%3F",
      "%23",
      "%C3%A9",
      "%ff",
      "%ED%B3%BF",
      "%",
      "%zz",
      "\u00e9",
      ":",
      "C:",
      "~",
      ";",
      " ",
      "a.txt",
      "%5C",
      // Python's whitespace, not JavaScript's, before a trailing slash.
      "\x85",
      "\x1f",
      "\ufeff",
      "\t",
    ];
    const paths = Array.from(
      { length: 1500 },
      () =>
        Array.from({ length: pick([0, 1, 2, 4, 6]) }, () => pick(pieces))
          .join(""),
    );
    const python = await pythonJson<string[]>(PY_TRANSLATE, { input: paths });
    const handler = Object.create(SimpleHTTPRequestHandler.prototype);
    handler.directory = "/srv";
    for (const [i, path] of paths.entries()) {
      equal(handler.translate_path(path), python[i], JSON.stringify(path));
    }
  },
});

const PY_IMS = `
import datetime, email.utils, json, sys
out = []
for value in json.load(sys.stdin):
    # SimpleHTTPRequestHandler.send_head's reading of If-Modified-Since.
    try:
        ims = email.utils.parsedate_to_datetime(value)
    except (TypeError, IndexError, OverflowError, ValueError):
        out.append(None)
        continue
    if ims.tzinfo is None:
        ims = ims.replace(tzinfo=datetime.timezone.utc)
    out.append(int(ims.timestamp()) if ims.tzinfo is datetime.timezone.utc else None)
print(json.dumps(out))
`;

Deno.test({
  name:
    "parseHttpDateUtc reads random dates as SimpleHTTPRequestHandler reads If-Modified-Since",
  ignore: !havePython313(),
  async fn() {
    const pick = randomSource(testSeed(20261135));
    const days = ["Sun, ", "Thu, ", "Sunday, ", "", "sun, ", "Xyz, ", "Sun "];
    const dates = ["06", "6", "31", "32", "0", "29"];
    const months = ["Nov", "nov", "NOV", "Feb", "Xyz", "November"];
    // Latin-1 has digits beyond 0-9 for Python's isdigit(): ¹²³.
    const years = [
      "1994",
      "94",
      "2026",
      "69",
      "68",
      "00",
      "0001",
      "99999",
      "\xb2",
      "\xb9994",
    ];
    const times = [
      "08:49:37",
      "8:49:37",
      "08:49",
      "23:59:60",
      "24:00:00",
      "08.49.37",
      "08:61:00",
    ];
    const zones = [
      "GMT",
      "UTC",
      "UT",
      "Z",
      "+0000",
      "-0000",
      "+0100",
      "EST",
      "",
      "gmt",
      "-0500",
      "XYZ",
    ];
    // Python's split() also splits at \x1c-\x1f and \x85, which a header
    // read as Latin-1 can hold.
    const spaces = [" ", " ", " ", "\t", "\x1c", "\x1f", "\x85", "\xa0"];
    const values = Array.from({ length: 3000 }, () => {
      const value = oneDate();
      return value.replaceAll(" ", () => pick(spaces));
    });
    function oneDate(): string {
      switch (pick(["imf", "imf", "rfc850", "asctime", "other"])) {
        case "imf":
          return `${pick(days)}${pick(dates)} ${pick(months)} ${pick(years)} ${
            pick(times)
          }${pick([" ", ""])}${pick(zones)}`;
        case "rfc850":
          return `${pick(days)}${pick(dates)}-${pick(months)}-${pick(years)} ${
            pick(times)
          } ${pick(zones)}`;
        case "asctime":
          return `${pick(["Sun ", "Thu "])}${pick(months)} ${
            pick([" 6", "6", "29"])
          } ${pick(times)} ${pick(years)}`;
        default:
          return pick([
            "",
            " ",
            "garbage",
            "Sun, 06 Nov 1994",
            "06 Nov 1994 08:49:37 GMT extra",
            "Sun,06 Nov 1994 08:49:37 GMT",
          ]);
      }
    }
    const python = await pythonJson<(number | null)[]>(PY_IMS, {
      input: values,
    });
    for (const [i, value] of values.entries()) {
      equal(parseHttpDateUtc(value), python[i], JSON.stringify(value));
    }
  },
});

Deno.test("dates: header dates, log dates, If-Modified-Since parsing", () => {
  equal(httpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  equal(httpDate(1_000_000_000.9), "Sun, 09 Sep 2001 01:46:40 GMT");
  // Python rounds the fraction alone to the microsecond, half to even:
  // these stay in their second (CPython 3.13's formatdate), 0.9999999 not.
  equal(httpDate(174481015.9999995), "Sun, 13 Jul 1975 10:56:55 GMT");
  equal(httpDate(-173671560.0000005), "Tue, 30 Jun 1964 21:53:59 GMT");
  equal(httpDate(0.9999999), "Thu, 01 Jan 1970 00:00:01 GMT");
  equal(
    /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/.test(
      httpDate(),
    ),
    true,
  );
  equal(/^\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d$/.test(logDate()), true);
  equal(parseHttpDateUtc("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  equal(parseHttpDateUtc("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  equal(parseHttpDateUtc("Sun Nov  6 08:49:37 1994"), 784111777);
  equal(parseHttpDateUtc("Sun, 06 Nov 1994 08:49:37"), 784111777);
  equal(parseHttpDateUtc("Sun, 06 Nov 1994 08:49:37 +0100"), null);
  equal(parseHttpDateUtc("yesterday"), null);
  // Python's whitespace and digits, as a header read as Latin-1 holds them.
  equal(parseHttpDateUtc("1\x1cJan 2099 0:0"), 4070908800);
  equal(parseHttpDateUtc("Tue, 05 Mar 2024 06:07:08\x85GMT"), 1709618828);
  equal(parseHttpDateUtc("1 Jan \xb2 0:0 2099"), null);
  equal(parseHttpDateUtc("05 Mar \xb9 06:07:08 2024"), null);
});

Deno.test("quote, unquote, htmlEscape: urllib.parse and html semantics", () => {
  equal(quote("a b/c&d~é"), "a%20b/c%26d~%C3%A9");
  equal(quote("a/b", ""), "a%2Fb");
  equal(unquote("a%20b%2F%C3%A9%zz%"), "a b/é%zz%");
  // U+FEFF starting a run of escapes is a character, as Python keeps it.
  equal(unquote("%EF%BB%BFbom"), "\ufeffbom");
  equal(unquote("a%EF%BB%BFb"), "a\ufeffb");
  equal(unquote("%ff"), "\ufffd");
  equal(
    htmlEscape(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;",
  );
  equal(htmlEscape(`"'`, false), `"'`);
});

Deno.test("names that are not UTF-8: Python's surrogatepass links, surrogateescape page, code point order", () => {
  // caf\xe9.txt as Python's os.listdir gives it: the byte as U+DCE9.
  const name = "caf\udce9.txt";
  equal(quote(name), "caf%ED%B3%A9.txt");
  equal(unquote("/caf%ED%B3%A9.txt"), "/caf\udce9.txt");
  // A raw byte that is not UTF-8 cannot be passed through: U+FFFD, as Python.
  equal(unquote("/caf%E9.txt"), "/caf\ufffd.txt");
  equal(unquote("/%C3%A9/caf%E9"), "/\u00e9/caf\ufffd");
  equal(
    translateUrlPath("/sub%ED%B3%BF/in%ED%B3%BE.bin", "/srv"),
    "/srv/sub\udcff/in\udcfe.bin",
  );
  const page = listingHtml("/", [
    { name, isDirectory: false, isSymlink: false },
    {
      name: "lost\ufffd",
      isDirectory: false,
      isSymlink: false,
      unreachable: true,
    },
  ]);
  const bytes = encodeListing(page);
  const text = new TextDecoder("latin1").decode(bytes);
  equal(
    text.includes('<li><a href="caf%ED%B3%A9.txt">caf\xe9.txt</a></li>'),
    true,
  );
  equal(text.includes("<li>lost\xef\xbf\xbd</li>"), true);
  // Python sorts by code point: U+1F600 after U+FF21 and after U+DCE9.
  const names = ["\u{1F600}", "\uFF21", "\udce9", "a"];
  deepEqual(
    sortEntries(
      names.map((n) => ({ name: n, isDirectory: false, isSymlink: false })),
    ).map((e) => e.name),
    ["a", "\udce9", "\uFF21", "\u{1F600}"],
  );
  // Lower-cased as Python 3.13 does (Unicode 15.1): U+A7CB has no lower
  // case there, so it sorts after U+0300 (V8 would lower it to U+0264).
  deepEqual(
    sortEntries(
      ["\uA7CB", "\u0300"].map((n) => ({
        name: n,
        isDirectory: false,
        isSymlink: false,
      })),
    ).map((e) => e.name),
    ["\u0300", "\uA7CB"],
  );
});

Deno.test("latin1Reason: what Latin-1 cannot carry, escaped as Python does", () => {
  equal(latin1Reason("caf\u00e9 ok"), "caf\u00e9 ok");
  equal(latin1Reason("\u65e5.txt"), "\\u65e5.txt");
  equal(latin1Reason("\ufffd\ud83d\ude00"), "\\ufffd\\U0001f600");
  equal(latin1Reason("\udcff"), "\\udcff");
});

Deno.test("decodesAsUtf8: %-escapes that are UTF-8, and those that are not", () => {
  for (const ok of ["/a b", "/%E6%97%A5", "/%25ff", "/%", "/%zz"]) {
    equal(decodesAsUtf8(ok), true, ok);
  }
  for (const bad of ["/%ff", "/%c0%af", "/%ED%B3%BF", "/%E6%97"]) {
    equal(decodesAsUtf8(bad), false, bad);
  }
});
