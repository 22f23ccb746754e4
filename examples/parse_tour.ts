/**
 * A tour of `urllib.parse`: the calls the Python tutorials show, printing
 * each value the way Python's `repr()` prints it.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run examples/parse_tour.ts
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run jsr:@pyport/web/examples/parse_tour
 * ```
 *
 * Its Python twin, `examples/parse_tour.py`, prints the very same lines:
 *
 * ```sh
 * diff <(deno run examples/parse_tour.ts) <(python3 examples/parse_tour.py)
 * ```
 *
 * @module
 */
import {
  parse_qs,
  quote,
  quote_plus,
  unquote,
  unquote_plus,
  urlencode,
  urljoin,
  urlparse,
  urlunparse,
} from "@pyport/web/urllib/parse";

/** Python's `repr()` of a str: single quotes unless only double quotes avoid escaping. */
function reprStr(text: string): string {
  const quoteChar = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quoteChar;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quoteChar) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += "\\x" + code.toString(16).padStart(2, "0");
    } else out += ch;
  }
  return out + quoteChar;
}

/**
 * Python's `repr()` for the values this tour prints. Lists are JS arrays,
 * dicts are plain objects; result objects such as `ParseResult` already
 * print themselves as Python does (their `toString`).
 */
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return reprStr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) {
    const items = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${reprStr(k)}: ${pyRepr(v)}`);
    return `{${items.join(", ")}}`;
  }
  return String(value);
}

function show(label: string, value: unknown): void {
  console.log(`${label}: ${pyRepr(value)}`);
}

console.log("== urlparse / urlunparse ==");
const doc = urlparse(
  "https://docs.python.org/3/library/urllib.parse.html?highlight=params#url-parsing",
);
show("urlparse(doc)", doc);
show("doc.scheme", doc.scheme);
show("doc.netloc", doc.netloc);
show("doc.port", doc.port);
show("urlunparse(doc)", urlunparse(doc));
const full = urlparse("http://user:secret@[::1]:8080/app;v=2?q=1&q=2#top");
show("urlparse(full)", full);
show("full.username", full.username);
show("full.password", full.password);
show("full.hostname", full.hostname);
show("full.port", full.port);
show("full.params", full.params);
// Without "//" there is no netloc: the host name becomes part of the path.
show("no scheme", urlparse("www.example.com/path"));
show("scheme-relative", urlparse("//www.example.com/path"));
show(
  "urlunparse(parts)",
  urlunparse(["https", "example.com", "/a b", "", "q=1", "top"]),
);
show(
  "_replace",
  urlunparse(doc._replace({ scheme: "http", fragment: "" })),
);

console.log("== urljoin ==");
// The reference resolution examples of RFC 3986, section 5.4.
const base = "http://a/b/c/d;p?q";
for (
  const ref of [
    "g",
    "./g",
    "g/",
    "/g",
    "//g",
    "?y",
    "g?y",
    "#s",
    "..",
    "../g",
    "../../../g",
    "http://other/x",
  ]
) {
  show(`urljoin(base, ${reprStr(ref)})`, urljoin(base, ref));
}

console.log("== parse_qs ==");
show("parse_qs(shop)", parse_qs("q=apple&category=fruits&page=1"));
show("repeated", parse_qs("a=1&a=2&b=3"));
show("blank dropped", parse_qs("a=1&b=&c"));
show("blank kept", parse_qs("a=1&b=&c", { keep_blank_values: true }));
show("decoded", parse_qs("name=%E5%BC%A0%E4%B8%89&city=S%C3%A3o+Paulo"));
show("latin-1", parse_qs("word=caf%E9", { encoding: "latin-1" }));

console.log("== urlencode ==");
show("urlencode(dict)", urlencode({ spam: 1, eggs: 2, bacon: 0 }));
show(
  "special chars",
  urlencode({ q: "python 3 & deno", lang: "zh-CN", x: "a=b" }),
);
show("pairs", urlencode([["a", "1"], ["a", "2"]]));
show("doseq", urlencode({ tag: ["red", "green"] }, { doseq: true }));
// Without doseq a list is sent as its Python str(), brackets and all.
show("no doseq", urlencode({ tag: ["red", "green"] }));
show("unicode", urlencode({ name: "张三" }));
show("quote_via=quote", urlencode({ q: "a b" }, { quote_via: quote }));

console.log("== quote / unquote ==");
show("quote", quote("hello, world!"));
show("quote path", quote("/path with space/ü.html"));
show("quote safe=''", quote("a/b c", { safe: "" }));
show("quote_plus", quote_plus("a b&c=d"));
show("quote latin-1", quote("café", { encoding: "latin-1" }));
show("unquote", unquote("%E4%BD%A0%E5%A5%BD"));
show("unquote latin-1", unquote("caf%E9", { encoding: "latin-1" }));
// Bytes that are not UTF-8 become U+FFFD (Python's errors="replace" default).
show("unquote bad utf-8", unquote("caf%E9"));
show("unquote_plus", unquote_plus("a+b%2Bc"));
