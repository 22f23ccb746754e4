import { deepEqual, equal, throws } from "node:assert/strict";
import {
  unwrap,
  urldefrag,
  urlparse,
  urlsplit,
  urlunparse,
  urlunsplit,
  uses_netloc,
  uses_params,
} from "../../../urllib/parse/split.ts";
import {
  DefragResultBytes,
  ParseResultBytes,
  SplitResult,
  SplitResultBytes,
} from "../../../urllib/parse/results.ts";
import { unquote_to_bytes } from "../../../urllib/parse/quote.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function fieldsOf(r: Iterable<string>): string[] {
  return [...r];
}

Deno.test("urlsplit: the five components", () => {
  deepEqual(
    fieldsOf(urlsplit("http://www.python.org:80/a/b;p?q=1&r=2#frag")),
    ["http", "www.python.org:80", "/a/b;p", "q=1&r=2", "frag"],
  );
  deepEqual(fieldsOf(urlsplit("")), ["", "", "", "", ""]);
  deepEqual(fieldsOf(urlsplit("path/only")), ["", "", "path/only", "", ""]);
  deepEqual(fieldsOf(urlsplit("//host/p")), ["", "host", "/p", "", ""]);
  deepEqual(fieldsOf(urlsplit("mailto:a@b.c")), [
    "mailto",
    "",
    "a@b.c",
    "",
    "",
  ]);
  deepEqual(fieldsOf(urlsplit("file:///tmp/x")), [
    "file",
    "",
    "/tmp/x",
    "",
    "",
  ]);
  deepEqual(fieldsOf(urlsplit("http://h?q#f")), ["http", "h", "", "q", "f"]);
  deepEqual(fieldsOf(urlsplit("http://h#f?q")), ["http", "h", "", "", "f?q"]);
});

Deno.test("urlsplit: scheme detection follows Python's rules", () => {
  // Lower-cased; digits, + - . allowed after a leading letter.
  equal(urlsplit("HTTP://h/").scheme, "http");
  equal(urlsplit("svn+SSH://h/").scheme, "svn+ssh");
  equal(urlsplit("a1-b.c:rest").scheme, "a1-b.c");
  // Not a scheme: leading digit, other characters, empty name.
  deepEqual(fieldsOf(urlsplit("1a:b")), ["", "", "1a:b", "", ""]);
  deepEqual(fieldsOf(urlsplit("a_b:c")), ["", "", "a_b:c", "", ""]);
  deepEqual(fieldsOf(urlsplit(":x")), ["", "", ":x", "", ""]);
  deepEqual(fieldsOf(urlsplit("é:x")), ["", "", "é:x", "", ""]);
  // Any scheme is accepted, even with a port-like remainder.
  deepEqual(fieldsOf(urlsplit("path:80")), ["path", "", "80", "", ""]);
  deepEqual(fieldsOf(urlsplit("x/y:z")), ["", "", "x/y:z", "", ""]);
});

Deno.test("urlsplit: optional arguments, positional and keyword", () => {
  equal(urlsplit("//h/p", "https").scheme, "https");
  equal(urlsplit("//h/p", { scheme: "https" }).scheme, "https");
  equal(urlsplit("ftp://h/p", "https").scheme, "ftp");
  equal(urlsplit("/p#f", "", false).path, "/p#f");
  equal(urlsplit("/p#f", { allow_fragments: false }).path, "/p#f");
  equal(urlsplit("/p#f", "x", { allow_fragments: false }).scheme, "x");
  deepEqual(
    fieldsOf(urlsplit("http://h/p?q#f", { allow_fragments: false })),
    ["http", "h", "/p", "q#f", ""],
  );
  throws(
    () => urlsplit("x", { bogus: 1 } as never),
    {
      name: "TypeError",
      message: "urlsplit() got an unexpected keyword argument 'bogus'",
    },
  );
  throws(
    () => (urlsplit as (...a: unknown[]) => unknown)("x", "a", { scheme: "b" }),
    {
      name: "TypeError",
      message: "urlsplit() got multiple values for argument 'scheme'",
    },
  );
  throws(
    () => (urlsplit as (...a: unknown[]) => unknown)("x", "a", true, {}, 1),
    TypeError,
  );
});

Deno.test("urlsplit: leading C0 controls and spaces are stripped (CVE-2023-24329)", () => {
  for (let c = 0; c <= 0x20; c++) {
    const r = urlsplit(`${String.fromCharCode(c)}https://www.example.org/`);
    equal(r.scheme, "https", `leading U+${c.toString(16)}`);
    equal(r.netloc, "www.example.org");
  }
  deepEqual(
    fieldsOf(urlsplit("\x00\x01 \x1f javascript:alert(1)")),
    ["javascript", "", "alert(1)", "", ""],
  );
  // Trailing spaces stay: some applications depend on them.
  equal(urlsplit("http://h/p ").path, "/p ");
  // The default scheme is stripped at both ends.
  equal(urlsplit("//h/", " \x00https\x1f ").scheme, "https");
  // Not stripped: characters above the space.
  equal(urlsplit("\x7fhttp://h/").scheme, "");
});

Deno.test("urlsplit: tab, CR and LF are removed everywhere (bpo-43882)", () => {
  deepEqual(
    fieldsOf(urlsplit("h\tt\rt\np://ex\tam\nple.com/pa\rth?q\t=1#f\nr")),
    ["http", "example.com", "/path", "q=1", "fr"],
  );
  equal(urlsplit("//h/", "ht\ttp\n").scheme, "http");
  equal(urlsplit("http://h\n/p").netloc, "h");
});

Deno.test("urlsplit: netlocs that NFKC-normalise into delimiters are rejected", () => {
  const denormalizing = [
    0x2047,
    0x2048,
    0x2049,
    0x2100,
    0x2101,
    0x2105,
    0x2106,
    0x2a74,
    0xfe13,
    0xfe16,
    0xfe55,
    0xfe56,
    0xfe5f,
    0xfe6b,
    0xff03,
    0xff0f,
    0xff1a,
    0xff1f,
    0xff20,
  ];
  for (const cp of denormalizing) {
    const ch = String.fromCharCode(cp);
    for (const url of [`http://u${ch}h/`, `http://h${ch}/p`, `//${ch}`]) {
      const netloc = url.slice(url.indexOf("//") + 2).split("/")[0];
      throws(() => urlsplit(url), {
        name: "TypeError",
        message:
          `netloc '${netloc}' contains invalid characters under NFKC normalization`,
      });
      throws(() => urlsplit(enc(url)), TypeError);
    }
  }
  // Elsewhere in the URL, or normalising to harmless text, they are fine.
  equal(urlsplit("http://h/\u2100").path, "/\u2100");
  equal(urlsplit("http://h?\uff03").query, "\uff03");
  equal(urlsplit("http://\u00fcber.example/").netloc, "\u00fcber.example");
  equal(urlsplit("http://\uff41.example/").netloc, "\uff41.example");
  // The delimiters themselves are ignored by the check.
  equal(urlsplit("http://\u00e9:p@h\u00e9:1/").netloc, "\u00e9:p@h\u00e9:1");
});

Deno.test("urlsplit: bracketed hosts must be IPv6 or IPvFuture", () => {
  const valid = [
    "[::1]",
    "[::1]:80",
    "[::1]:",
    "u:p@[::1]:8080",
    "[fe80::1%eth0]",
    "[fe80::1%25eth0]:80",
    "[::ffff:1.2.3.4]",
    "[2001:db8::8:800:200c:417a]",
    "[1:2:3:4:5:6:7:8]",
    "[v1.fe]",
    "[vAF.x:y]",
    "]@[::1]",
  ];
  for (const netloc of valid) {
    equal(urlsplit(`http://${netloc}/p`).netloc, netloc);
  }
  const invalid: [string, string][] = [
    ["[::1", "Invalid IPv6 URL"],
    ["::1]", "Invalid IPv6 URL"],
    ["[1.2.3.4]", "An IPv4 address cannot be in brackets"],
    ["[v1]", "IPvFuture address is invalid"],
    ["[vz.1]", "IPvFuture address is invalid"],
    ["[v1.]", "IPvFuture address is invalid"],
    ["[V1.fe]", "'V1.fe' does not appear to be an IPv4 or IPv6 address"],
    ["[host]", "'host' does not appear to be an IPv4 or IPv6 address"],
    ["[::1%]", "'::1%' does not appear to be an IPv4 or IPv6 address"],
    ["[::1%a%b]", "'::1%a%b' does not appear to be an IPv4 or IPv6 address"],
    [
      "[1:2:3:4:5:6:7:8:9]",
      "'1:2:3:4:5:6:7:8:9' does not appear to be an IPv4 or IPv6 address",
    ],
    ["[1::2::3]", "'1::2::3' does not appear to be an IPv4 or IPv6 address"],
    ["[12345::]", "'12345::' does not appear to be an IPv4 or IPv6 address"],
    [
      "[::01.2.3.4]",
      "'::01.2.3.4' does not appear to be an IPv4 or IPv6 address",
    ],
    ["[:1::2]", "':1::2' does not appear to be an IPv4 or IPv6 address"],
    [
      "[1:2:3:4:5:6:7]",
      "'1:2:3:4:5:6:7' does not appear to be an IPv4 or IPv6 address",
    ],
    ["[]", "'' does not appear to be an IPv4 or IPv6 address"],
  ];
  for (const [netloc, message] of invalid) {
    throws(() => urlsplit(`http://${netloc}/`), { name: "TypeError", message });
    throws(() => urlparse(`http://${netloc}/`), { name: "TypeError", message });
  }
});

Deno.test("urlsplit: nothing before '[' nor between ']' and ':port' (CVE-2025-0938)", () => {
  for (
    const url of [
      "http://[::1]x/",
      "http://a[::1]/",
      "http://[::1]x:80/",
      "http://u@a[::1]:80/",
      "http://[::1]]/",
      "http://[::1]/[",
      "https://[2001:db8::1];type=a",
    ]
  ) {
    if (url.endsWith("/[")) {
      // A bracket in the path is not part of the netloc.
      equal(urlsplit(url).netloc, "[::1]");
      continue;
    }
    throws(() => urlsplit(url), {
      name: "TypeError",
      message: "Invalid IPv6 URL",
    }, url);
    throws(() => urlsplit(enc(url)), {
      name: "TypeError",
      message: "Invalid IPv6 URL",
    });
  }
  // Brackets only in the userinfo leave a host that must itself be an address.
  throws(() => urlsplit("http://[::1]@h/"), {
    name: "TypeError",
    message: "'h' does not appear to be an IPv4 or IPv6 address",
  });
});

Deno.test("urlparse: ;params only on the last segment, only for uses_params", () => {
  deepEqual(
    fieldsOf(urlparse("http://h/a;x/b;y=1?q#f")),
    ["http", "h", "/a;x/b", "y=1", "q", "f"],
  );
  deepEqual(fieldsOf(urlparse("http://h/a;x/b")), [
    "http",
    "h",
    "/a;x/b",
    "",
    "",
    "",
  ]);
  deepEqual(fieldsOf(urlparse("a;b")), ["", "", "a", "b", "", ""]);
  deepEqual(fieldsOf(urlparse("tel:+1;ext=2")), [
    "tel",
    "",
    "+1",
    "ext=2",
    "",
    "",
  ]);
  deepEqual(fieldsOf(urlparse("mailto:a;b")), [
    "mailto",
    "",
    "a;b",
    "",
    "",
    "",
  ]);
  deepEqual(fieldsOf(urlparse("http://h;p/x")), [
    "http",
    "h;p",
    "/x",
    "",
    "",
    "",
  ]);
  equal(
    urlparse("http://h/p;a#f;g", { allow_fragments: false }).params,
    "a#f;g",
  );
  uses_params.push("zz");
  try {
    equal(urlparse("zz:a;b").params, "b");
  } finally {
    uses_params.pop();
  }
  equal(urlparse("zz:a;b").params, "");
});

Deno.test("urlsplit/urlparse: bytes in, bytes out", () => {
  const r = urlsplit(enc("HTTP://U@H:80/p?q#f"));
  equal(r instanceof SplitResultBytes, true);
  deepEqual([...r], ["http", "U@H:80", "/p", "q", "f"].map(enc));
  const p = urlparse(enc("http://h/p;a"), enc("x"));
  equal(p instanceof ParseResultBytes, true);
  deepEqual(p.params, enc("a"));
  deepEqual(urlsplit(enc("//h"), enc("ftp")).scheme, enc("ftp"));
  // An empty value of the other kind is tolerated, as Python's default "".
  deepEqual(urlsplit(enc("//h"), "").scheme, enc(""));
  equal(urlsplit("//h", new Uint8Array()).scheme, "");
  throws(() => urlsplit(enc("//h"), "ftp"), {
    name: "TypeError",
    message: "Cannot mix str and non-str arguments",
  });
  throws(() => urlsplit("//h", enc("ftp")), {
    name: "TypeError",
    message: "Cannot mix str and non-str arguments",
  });
  // Python's UnicodeDecodeError, which is a TypeError here.
  throws(() => urlsplit(new Uint8Array([0x68, 0xff])), TypeError);
  throws(() => urlsplit(new Uint8Array([0x68, 0xff])), {
    name: "UnicodeDecodeError",
    message:
      "'ascii' codec can't decode byte 0xff in position 1: ordinal not in range(128)",
  });
  throws(() => urlsplit(42 as never), TypeError);
});

Deno.test("urlunsplit: reassembly rules", () => {
  equal(urlunsplit(["http", "h", "/p", "q", "f"]), "http://h/p?q#f");
  equal(urlunsplit(["http", "h", "p", "", ""]), "http://h/p");
  equal(urlunsplit(["", "", "p", "", ""]), "p");
  equal(urlunsplit(["file", "", "/tmp", "", ""]), "file:///tmp");
  equal(urlunsplit(["file", "", "", "", ""]), "file://");
  equal(urlunsplit(["mailto", "", "a@b", "", ""]), "mailto:a@b");
  equal(urlunsplit(["mailto", "", "/x", "", ""]), "mailto:/x");
  // A path beginning with // keeps an empty authority so it reads back alike.
  equal(urlunsplit(["", "", "//p", "", ""]), "////p");
  equal(urlunsplit(["mailto", "", "//p", "", ""]), "mailto:////p");
  equal(urlunsplit(["http", "", "", "", "f"]), "http://#f");
  // Generators and result objects are iterables too.
  equal(
    urlunsplit((function* () {
      yield* ["a", "b", "c", "d", "e"];
    })()),
    "a://b/c?d#e",
  );
  const r = urlsplit("http://h/p?");
  equal(urlunsplit(r), "http://h/p");
  equal(urlunsplit(r.encode() as Iterable<Uint8Array>).length, 10);
});

Deno.test("urlunsplit: uses_netloc is consulted at call time", () => {
  equal(urlunsplit(["zz", "", "/p", "", ""]), "zz:/p");
  uses_netloc.push("zz");
  try {
    equal(urlunsplit(["zz", "", "/p", "", ""]), "zz:///p");
  } finally {
    uses_netloc.pop();
  }
});

Deno.test("urlunsplit/urlunparse: bytes and bad input", () => {
  deepEqual(
    urlunsplit(["http", "h", "/p", "", ""].map(enc)),
    enc("http://h/p"),
  );
  deepEqual(
    urlunparse(["http", "h", "/p", "a", "q", ""].map(enc)),
    enc("http://h/p;a?q"),
  );
  // Empty bytes beside text (and empty text beside bytes) are tolerated.
  equal(urlunsplit(["http", new Uint8Array(), "/p", "", ""]), "http:///p");
  deepEqual(urlunsplit([new Uint8Array(), "", enc("p"), "", ""]), enc("p"));
  throws(() => urlunsplit(["http", enc("h"), "", "", ""]), {
    name: "TypeError",
    message: "Cannot mix str and non-str arguments",
  });
  throws(() => urlunsplit(["a", "b", "c", "d"]), {
    name: "TypeError",
    message: "urlunsplit() expected 5 components, got 4",
  });
  throws(() => urlunparse(["a", "b", "c", "d", "e"]), {
    name: "TypeError",
    message: "urlunparse() expected 6 components, got 5",
  });
  throws(() => urlunsplit(5 as never), TypeError);
  throws(() => urlunsplit([new Uint8Array([0x80]), "", "", "", ""]), TypeError);
});

Deno.test("urlunparse: params joined with ';'", () => {
  equal(urlunparse(["http", "h", "/p", "a", "q", "f"]), "http://h/p;a?q#f");
  equal(urlunparse(["", "", "", "a", "", ""]), ";a");
  equal(urlunparse(urlparse("http://h/p;a?q#f")), "http://h/p;a?q#f");
});

Deno.test("round trips through split and unsplit", () => {
  for (
    const url of [
      "http://www.python.org/",
      "http://www.python.org/#abc",
      "http://www.python.org?q=abc",
      "http://www.python.org/#abc?q",
      "mailto:1337@example.org",
      "file:///tmp/junk.txt",
      "imap://mail.python.org/mbox1",
      "mms://wms.sys.hinet.net/cts/Drama/09006251100.asf",
      "nfs://server/path/to/file.txt",
      "svn+ssh://svn.zope.org/repos/main/ZConfig/trunk/",
      "git+ssh://git@github.com/user/project.git",
      "http://[::1]:5432/foo/",
      "https://u:p@[fe80::1%25eth0]:443/a;b?c=d#e",
    ]
  ) {
    equal(urlunsplit(urlsplit(url)), url);
    equal(urlunparse(urlparse(url)), url);
    equal(urlsplit(url).geturl(), url);
  }
});

Deno.test("urldefrag", () => {
  const cases: [string, string, string][] = [
    ["http://python.org#frag", "http://python.org", "frag"],
    ["http://python.org", "http://python.org", ""],
    ["http://python.org/#frag", "http://python.org/", "frag"],
    ["http://python.org/?q#frag", "http://python.org/?q", "frag"],
    ["http://python.org/p;a#frag", "http://python.org/p;a", "frag"],
    ["http://python.org/?q#", "http://python.org/?q", ""],
    ["http://python.org/?#f", "http://python.org/", "f"],
    ["#frag", "", "frag"],
    ["#", "", ""],
    [" http://h/p?", " http://h/p?", ""],
  ];
  for (const [url, defrag, frag] of cases) {
    const r = urldefrag(url);
    deepEqual([...r], [defrag, frag], url);
    equal(r.url, defrag);
    equal(r.fragment, frag);
  }
  const b = urldefrag(enc("http://h/#x"));
  equal(b instanceof DefragResultBytes, true);
  deepEqual([...b], [enc("http://h/"), enc("x")]);
});

Deno.test("unwrap", () => {
  equal(unwrap("<URL:type://host/path>"), "type://host/path");
  equal(unwrap("<URL: type://host/path >"), "type://host/path");
  equal(unwrap(" <URL:type://host/path> "), "type://host/path");
  equal(unwrap("<type://host/path>"), "type://host/path");
  equal(unwrap("URL:type://host/path"), "type://host/path");
  equal(unwrap("type://host/path"), "type://host/path");
  equal(unwrap("<URL:x"), "<URL:x");
  equal(unwrap("\x1c\u3000x\x85"), "x");
  // U+FEFF is not whitespace to Python.
  equal(unwrap("\ufeffx"), "\ufeffx");
  // Python's unwrap takes str(url): anything else is read as Python
  // prints it.
  const loose = unwrap as (url: unknown) => string;
  equal(loose(enc("<URL:x>")), "b'<URL:x>'");
  equal(loose(new Uint8Array()), "b''");
  equal(loose(null), "None");
  equal(loose(true), "True");
});

Deno.test("functions called without their required arguments throw Python's TypeError; None is an empty bytes URL", async () => {
  const parse = await import("../../../urllib/parse/mod.ts");
  const loose = parse as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const calls: [string, unknown[], string][] = [
    ["urljoin", [], "2 required positional arguments: 'base' and 'url'"],
    ["urljoin", ["http://a/b"], "1 required positional argument: 'url'"],
    ["urljoin", [undefined, "b"], "1 required positional argument: 'base'"],
    ["urldefrag", [], "1 required positional argument: 'url'"],
    ["urlsplit", [], "1 required positional argument: 'url'"],
    ["urlparse", [], "1 required positional argument: 'url'"],
    ["urlunsplit", [], "1 required positional argument: 'components'"],
    ["urlunparse", [], "1 required positional argument: 'components'"],
    ["parse_qs", [], "1 required positional argument: 'qs'"],
    ["parse_qsl", [], "1 required positional argument: 'qs'"],
    ["unwrap", [], "1 required positional argument: 'url'"],
    ["quote", [], "1 required positional argument: 'string'"],
    ["quote_plus", [], "1 required positional argument: 'string'"],
    ["quote_from_bytes", [], "1 required positional argument: 'bs'"],
    ["unquote", [], "1 required positional argument: 'string'"],
    ["unquote_plus", [], "1 required positional argument: 'string'"],
    ["unquote_to_bytes", [], "1 required positional argument: 'string'"],
    ["urlencode", [], "1 required positional argument: 'query'"],
  ];
  for (const [name, args, missing] of calls) {
    throws(() => loose[name]!(...args), {
      name: "TypeError",
      message: `${name}() missing ${missing}`,
    });
  }
  // Python's None is falsy: an empty URL, split as bytes.
  deepEqual([...loose.urlsplit!(null) as SplitResultBytes], [
    ...new SplitResultBytes(enc(""), enc(""), enc(""), enc(""), enc("")),
  ]);
  equal(loose.urlparse!(null) instanceof ParseResultBytes, true);
  deepEqual(loose.parse_qsl!(null), []);
});

Deno.test("one-parameter functions refuse extra arguments, as Python's do", () => {
  // A JavaScript caller (or code typed `any`) can pass them; Python raises.
  const loose = {
    urldefrag,
    urlunsplit,
    urlunparse,
    unwrap,
    unquote_to_bytes,
  } as Record<string, (...args: unknown[]) => unknown>;
  const calls: [string, unknown[]][] = [
    ["urldefrag", ["http://h/p#f", false]],
    ["urlunsplit", [["http", "h", "/", "", ""], 1]],
    ["urlunparse", [["http", "h", "/", "", "", ""], 1]],
    ["unwrap", ["<URL:x>", 1]],
    ["unquote_to_bytes", ["%E9", "latin-1"]],
  ];
  for (const [name, args] of calls) {
    throws(() => loose[name]!(...args), {
      name: "TypeError",
      message: `${name}() takes 1 positional argument but 2 were given`,
    });
    // One argument still works.
    loose[name]!(args[0]);
  }
});

Deno.test("urlsplit returns distinct result objects", () => {
  const a = urlsplit("http://a/");
  const b = urlsplit("http://b/");
  equal(a instanceof SplitResult, true);
  equal(a.netloc, "a");
  equal(b.netloc, "b");
});
