import { deepEqual, equal, throws } from "node:assert/strict";
import { urljoin } from "../../../urllib/parse/join.ts";
import { uses_netloc, uses_relative } from "../../../urllib/parse/split.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const RFC3986_BASE = "http://a/b/c/d;p?q";

Deno.test("urljoin: RFC 3986 §5.4.1 normal examples", () => {
  const normal: [string, string][] = [
    ["g:h", "g:h"],
    ["g", "http://a/b/c/g"],
    ["./g", "http://a/b/c/g"],
    ["g/", "http://a/b/c/g/"],
    ["/g", "http://a/g"],
    ["//g", "http://g"],
    ["?y", "http://a/b/c/d;p?y"],
    ["g?y", "http://a/b/c/g?y"],
    ["#s", "http://a/b/c/d;p?q#s"],
    ["g#s", "http://a/b/c/g#s"],
    ["g?y#s", "http://a/b/c/g?y#s"],
    [";x", "http://a/b/c/;x"],
    ["g;x", "http://a/b/c/g;x"],
    ["g;x?y#s", "http://a/b/c/g;x?y#s"],
    ["", "http://a/b/c/d;p?q"],
    [".", "http://a/b/c/"],
    ["./", "http://a/b/c/"],
    ["..", "http://a/b/"],
    ["../", "http://a/b/"],
    ["../g", "http://a/b/g"],
    ["../..", "http://a/"],
    ["../../", "http://a/"],
    ["../../g", "http://a/g"],
  ];
  for (const [ref, want] of normal) {
    equal(urljoin(RFC3986_BASE, ref), want, ref);
  }
});

Deno.test("urljoin: RFC 3986 §5.4.2 abnormal examples", () => {
  const abnormal: [string, string][] = [
    ["../../../g", "http://a/g"],
    ["../../../../g", "http://a/g"],
    ["/./g", "http://a/g"],
    ["/../g", "http://a/g"],
    ["g.", "http://a/b/c/g."],
    [".g", "http://a/b/c/.g"],
    ["g..", "http://a/b/c/g.."],
    ["..g", "http://a/b/c/..g"],
    ["./../g", "http://a/b/g"],
    ["./g/.", "http://a/b/c/g/"],
    ["g/./h", "http://a/b/c/g/h"],
    ["g/../h", "http://a/b/c/h"],
    ["g;x=1/./y", "http://a/b/c/g;x=1/y"],
    ["g;x=1/../y", "http://a/b/c/y"],
    ["g?y/./x", "http://a/b/c/g?y/./x"],
    ["g?y/../x", "http://a/b/c/g?y/../x"],
    ["g#s/./x", "http://a/b/c/g#s/./x"],
    ["g#s/../x", "http://a/b/c/g#s/../x"],
    // Python takes the non-strict reading of §5.2.2 for a same-scheme ref.
    ["http:g", "http://a/b/c/g"],
  ];
  for (const [ref, want] of abnormal) {
    equal(urljoin(RFC3986_BASE, ref), want, ref);
  }
});

Deno.test("urljoin: RFC 1808 base with a fragment", () => {
  const base = "http://a/b/c/d;p?q#f";
  equal(urljoin(base, ""), base);
  equal(urljoin(base, "#s"), "http://a/b/c/d;p?q#s");
  equal(urljoin(base, "?y"), "http://a/b/c/d;p?y");
  equal(urljoin(base, ";x"), "http://a/b/c/;x");
  equal(urljoin(base, "g"), "http://a/b/c/g");
});

Deno.test("urljoin: scheme rules (uses_relative, uses_netloc)", () => {
  // A scheme outside uses_relative, or another scheme, returns the reference.
  equal(urljoin("mailto:a@b", "c"), "c");
  equal(urljoin("news:x", "y"), "y");
  equal(urljoin("tel:123", "456"), "456");
  equal(urljoin("http://a/b", "https://c/d"), "https://c/d");
  equal(urljoin("http://a/b", "https:d"), "https:d");
  equal(urljoin("svn+ssh://h/a/b", "../c"), "svn+ssh://h/c");
  equal(urljoin("file:///a/b", "c"), "file:///a/c");
  equal(urljoin("ftp://h/a;type=a", "b;type=i"), "ftp://h/b;type=i");
  // No scheme at all is relative too (the empty scheme is in the lists).
  equal(urljoin("a/b/c", "../../../d"), "d");
  equal(urljoin("//a/b", "c"), "//a/c");

  equal(urljoin("zz://h/a/b", "c"), "c");
  uses_relative.push("zz");
  try {
    // Relative now, but without a netloc of its own.
    equal(urljoin("zz://h/a/b", "c"), "zz:/a/c");
    uses_netloc.push("zz");
    try {
      equal(urljoin("zz://h/a/b", "c"), "zz://h/a/c");
    } finally {
      uses_netloc.pop();
    }
  } finally {
    uses_relative.pop();
  }
});

Deno.test("urljoin: path merging details", () => {
  equal(urljoin("http://a/b/c", "//"), "http://a/b/c");
  equal(urljoin("http://a", "b"), "http://a/b");
  equal(urljoin("http://a/b/", "./"), "http://a/b/");
  equal(urljoin("http://a/b;p", "?x"), "http://a/b;p?x");
  equal(urljoin(RFC3986_BASE, "../../../.."), "http://a/");
  // Empty inner segments are dropped when merging with the base path.
  equal(urljoin("http://a/b//c/./d", "e"), "http://a/b/c/e");
  equal(urljoin("http://a/b/c", "g//h"), "http://a/b/g/h");
  // But kept in an absolute path.
  equal(urljoin("http://a/b/c", "/g//h"), "http://a/g//h");
});

Deno.test("urljoin: allow_fragments", () => {
  equal(urljoin("http://a/b/c?x#y", "#z"), "http://a/b/c?x#z");
  equal(urljoin("http://a/b/c?x#y", "#z", false), "http://a/b/#z");
  equal(
    urljoin("http://a/b/c?x#y", "#z", { allow_fragments: false }),
    "http://a/b/#z",
  );
  throws(
    () => urljoin("http://a/", "b", { scheme: "x" } as never),
    {
      name: "TypeError",
      message: "urljoin() got an unexpected keyword argument 'scheme'",
    },
  );
});

Deno.test("urljoin: empty sides return the other unchanged", () => {
  equal(urljoin("", "x/y"), "x/y");
  equal(urljoin("http://a/", ""), "http://a/");
  // Decided before any str/bytes check, as in Python.
  const bytes = enc("x");
  equal(urljoin("", bytes), bytes);
  equal(urljoin(new Uint8Array(), "y"), "y");
});

Deno.test("urljoin: bytes in, bytes out; mixing throws", () => {
  deepEqual(urljoin(enc(RFC3986_BASE), enc("../g")), enc("http://a/b/g"));
  deepEqual(urljoin(enc("http://a/"), enc("mailto:x")), enc("mailto:x"));
  throws(() => urljoin(enc("http://a/"), "b"), {
    name: "TypeError",
    message: "Cannot mix str and non-str arguments",
  });
  throws(() => urljoin("http://a/", enc("b")), {
    name: "TypeError",
    message: "Cannot mix str and non-str arguments",
  });
  throws(
    () => urljoin(enc("http://a/"), new Uint8Array([0xc3, 0xa9])),
    TypeError,
  );
});

Deno.test("urljoin: rejects what urlsplit rejects", () => {
  throws(() => urljoin("http://[::1/", "x"), {
    name: "TypeError",
    message: "Invalid IPv6 URL",
  });
  throws(() => urljoin("http://a/", "//[::1]x/"), {
    name: "TypeError",
    message: "Invalid IPv6 URL",
  });
  throws(() => urljoin("http://a/", "//a\u2100b/"), TypeError);
});
