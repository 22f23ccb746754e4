import { deepEqual, equal, throws } from "node:assert/strict";
import { HTTPMessage } from "../../_util/http_message.ts";
import { havePython313, pythonJson } from "../_python.ts";
import { type Pick, randomSource, testSeed } from "../_random.ts";

Deno.test("HTTPMessage: case-insensitive look-up keeps order and repeats", () => {
  const msg = new HTTPMessage([["Set-Cookie", "a=1"], ["Host", "x"], [
    "set-cookie",
    "b=2",
  ]]);
  equal(msg.get("SET-COOKIE"), "a=1");
  deepEqual(msg.get_all("Set-Cookie"), ["a=1", "b=2"]);
  deepEqual([...msg], ["Set-Cookie", "Host", "set-cookie"]);
  equal(msg.length, 3);
  equal(msg.has("host"), true);
  equal(msg.has("accept"), false);
  equal(msg.get("accept", "fallback"), "fallback");
  deepEqual(msg.get_all("accept", []), []);
});

Deno.test("HTTPMessage: editing", () => {
  const msg = new HTTPMessage([["A", "1"], ["B", "2"], ["a", "3"]]);
  msg.replace_header("A", "9");
  deepEqual(msg.items(), [["A", "9"], ["B", "2"], ["a", "3"]]);
  msg.delete("a");
  deepEqual(msg.items(), [["B", "2"]]);
  throws(() => msg.replace_header("zzz", "1"), RangeError);
  msg.add_header("Content-Disposition", "attachment", {
    filename: 'a "b".txt',
    x_y: null,
  });
  equal(
    msg.get("content-disposition"),
    'attachment; filename="a \\"b\\".txt"; x-y',
  );
});

Deno.test("HTTPMessage: parameters split and stripped at Python's whitespace", () => {
  // Python's strip() takes \x1c-\x1f and \x85 (a header read as Latin-1
  // can hold them) and keeps a BOM.
  const msg = new HTTPMessage([[
    "Content-Type",
    'text/html;\x1ccharset=utf-8\x85; \x1fname="x"; \ufeffbom=1',
  ]]);
  equal(msg.get_content_charset(), "utf-8");
  equal(msg.get_param("name"), "x");
  equal(msg.get_param("bom"), null);
  equal(msg.get_param("\ufeffbom"), "1");
});

Deno.test("HTTPMessage: content type and parameters as Python parses them", () => {
  const msg = new HTTPMessage([[
    "Content-Type",
    'Text/HTML; Charset="UTF-8"; q="a;b"',
  ]]);
  equal(msg.get_content_type(), "text/html");
  equal(msg.get_content_maintype(), "text");
  equal(msg.get_content_subtype(), "html");
  equal(msg.get_content_charset(), "utf-8");
  equal(msg.get_param("q"), "a;b");
  deepEqual(msg.get_params(), [["Text/HTML", ""], ["charset", "UTF-8"], [
    "q",
    "a;b",
  ]]);
  equal(
    new HTTPMessage([["Content-Type", "garbage"]]).get_content_type(),
    "text/plain",
  );
  equal(new HTTPMessage().get_content_charset(), null);
  equal(new HTTPMessage().get_params(), null);
});

Deno.test("HTTPMessage: RFC 2231 parameters and get_filename, as Python's email package reads them", () => {
  const msg = new HTTPMessage([
    ["Content-Type", "text/plain; name*=UTF-8''%C3%A9.bin"],
    [
      "Content-Disposition",
      "attachment; filename*0*=UTF-8''na%C3%AF; filename*1=ve.txt; size=3",
    ],
  ]);
  // The triple keeps the bytes as Latin-1 characters, as Python's does.
  deepEqual(msg.get_param("filename", null, "content-disposition"), [
    "UTF-8",
    "",
    "na\u00c3\u00afve.txt",
  ]);
  deepEqual(msg.get_params(null, "content-disposition"), [
    ["attachment", ""],
    ["size", "3"],
    ["filename", ["UTF-8", "", "na\u00c3\u00afve.txt"]],
  ]);
  equal(msg.get_filename(), "na\u00efve.txt");
  equal(
    new HTTPMessage([["Content-Type", "text/plain; name*=UTF-8''%C3%A9.bin"]])
      .get_filename(),
    "\u00e9.bin",
  );
  equal(
    new HTTPMessage([["Content-Disposition", 'inline; filename="  a b  "']])
      .get_filename(),
    "a b",
  );
  equal(new HTTPMessage().get_filename("fallback"), "fallback");
  // An encoded charset must decode to ASCII.
  equal(
    new HTTPMessage([["Content-Type", "text/html; charset*=''utf-8"]])
      .get_content_charset(),
    "utf-8",
  );
  equal(
    new HTTPMessage([["Content-Type", "text/html; charset*=utf-8''%E2%82%AC"]])
      .get_content_charset(),
    null,
  );
  deepEqual(
    new HTTPMessage([["Content-Type", 'a/b; x="1"']]).get_params(
      null,
      "content-type",
      false,
    ),
    [["a/b", ""], ["x", '"1"']],
  );
});

const TYPES = [
  "text/html",
  "TEXT/HTML",
  "application/json",
  "text",
  "text/html/x",
  "",
  " text/html ",
  "text/ html",
  'text/"a;b"',
];
const PARAMS = [
  "charset=utf-8",
  'charset="UTF-8"',
  "Charset = latin-1",
  "charset=",
  "charset",
  'boundary="a;b"',
  "charset*=utf-8''%E2%82%AC",
  "charset*=us-ascii'en'ascii",
  'name="a\\"b"',
  'x="a\\\\b"',
  'y=\\"q',
  "name*=UTF-8''%C3%A9.bin",
  "title*0=abc",
  "a=b=c",
  "=x",
  "charset='utf-8'",
  "x=<angle>",
  'x="unterminated',
];
const DISPOSITIONS = [
  "attachment",
  'attachment; filename="a b.txt"',
  "attachment; filename*=UTF-8''na%C3%AFve.txt",
  "attachment; filename*=utf-8'en'%E2%82%AC%20rates.txt",
  'inline; filename*0="long"; filename*1="name.txt"',
  "attachment; filename*0*=UTF-8''a%C3%A9; filename*1=b.txt",
  "attachment; filename*=bogus''x",
  "attachment; filename*=''plain",
  "attachment; filename=<angle.txt>",
  "attachment; FILENAME=UP.TXT",
  "attachment; filename*=iso-8859-1''%E9t%E9.txt",
  "attachment; filename*=UTF-8''%FF%FE",
  "attachment; filename=a.txt; filename*=UTF-8''b.txt",
  "attachment; filename*=x; filename*0=y",
];

function randomHeaders(pick: Pick): [string, string][] {
  let type = pick(TYPES);
  for (let n = pick([0, 1, 2, 3]); n > 0; n--) {
    type += pick([";", "; ", " ;", ";;"]) + pick(PARAMS);
  }
  if (pick([false, false, false, true])) type += ";";
  const headers: [string, string][] = [["Content-Type", type]];
  if (pick([true, false])) {
    headers.push(["Content-Disposition", pick(DISPOSITIONS)]);
  }
  return headers;
}

const PY_PARAMS = `
import json, sys
from http.client import HTTPMessage
out = []
for headers in json.load(sys.stdin):
    m = HTTPMessage()
    for k, v in headers: m[k] = v
    def run(f):
        try: return f()
        except Exception as e: return "error " + type(e).__name__
    out.append([run(m.get_content_type), run(m.get_params),
                run(lambda: m.get_params(unquote=False)),
                run(lambda: m.get_param("charset")), run(m.get_content_charset),
                run(lambda: m.get_params(header="content-disposition")),
                run(m.get_filename)])
print(json.dumps(out))
`;

Deno.test({
  name: "HTTPMessage: parameters agree with CPython 3.13 on random headers",
  ignore: !havePython313(),
  async fn() {
    const pick = randomSource(testSeed(20261131));
    const cases = Array.from({ length: 600 }, () => randomHeaders(pick));
    const python = await pythonJson<unknown[][]>(PY_PARAMS, { input: cases });
    const run = (f: () => unknown) => {
      try {
        return f();
      } catch (e) {
        return `error ${(e as Error).name}`;
      }
    };
    for (const [i, headers] of cases.entries()) {
      const m = new HTTPMessage(headers);
      deepEqual(
        [
          run(() => m.get_content_type()),
          run(() => m.get_params()),
          run(() => m.get_params(null, "content-type", false)),
          run(() => m.get_param("charset")),
          run(() => m.get_content_charset()),
          run(() => m.get_params(null, "content-disposition")),
          run(() => m.get_filename()),
        ],
        python[i],
        JSON.stringify(headers),
      );
    }
  },
});

const NAMES = [
  "Set-Cookie",
  "set-cookie",
  "SET-COOKIE",
  "Host",
  "x-a",
  "K",
  "\u212a", // Kelvin sign: lower-cases to "k"
  "\u0130", // I with dot above: lower-cases to two characters
  "i\u0307",
  "Content-Type",
];
const VALUES = ["1", "2", "", "a b", "text/html; charset=utf-8"];
type MessageOp = [
  "get" | "get_all" | "has" | "delete" | "replace" | "add" | "items",
  string,
  string,
];

const PY_MESSAGE_OPS = `
import json, sys
from http.client import HTTPMessage
out = []
for init, ops in json.load(sys.stdin):
    m = HTTPMessage()
    for k, v in init: m[k] = v
    log = []
    for op, name, value in ops:
        try:
            if op == "get": log.append(m.get(name))
            elif op == "get_all": log.append(m.get_all(name))
            elif op == "has": log.append(name in m)
            elif op == "delete": del m[name]; log.append(None)
            elif op == "replace": m.replace_header(name, value); log.append(None)
            elif op == "add": m.add_header(name, value); log.append(None)
            else: log.append([list(item) for item in m.items()])
        except KeyError:
            log.append("KeyError")
    out.append(log)
print(json.dumps(out))
`;

Deno.test({
  name: "HTTPMessage: random sequences of operations agree with CPython 3.13",
  ignore: !havePython313(),
  async fn() {
    const pick = randomSource(testSeed(20261133));
    const cases = Array.from({ length: 300 }, () => {
      const init = Array.from(
        { length: pick([0, 1, 2, 3, 4]) },
        () => [pick(NAMES), pick(VALUES)],
      );
      const ops = Array.from({ length: pick([1, 3, 5]) }, (): MessageOp => [
        pick(["get", "get_all", "has", "delete", "replace", "add", "items"]),
        pick(NAMES),
        pick(VALUES),
      ]);
      return [init, ops] as const;
    });
    const python = await pythonJson<unknown[][]>(PY_MESSAGE_OPS, {
      input: cases,
    });
    for (const [i, [init, ops]] of cases.entries()) {
      const m = new HTTPMessage(init as [string, string][]);
      const log: unknown[] = [];
      for (const [op, name, value] of ops) {
        try {
          if (op === "get") log.push(m.get(name));
          else if (op === "get_all") log.push(m.get_all(name));
          else if (op === "has") log.push(m.has(name));
          else if (op === "items") log.push(m.items().map((item) => [...item]));
          else {
            if (op === "delete") m.delete(name);
            else if (op === "replace") m.replace_header(name, value);
            else m.add_header(name, value);
            log.push(null);
          }
        } catch (e) {
          // Python's KeyError is a RangeError here.
          if (!(e instanceof RangeError)) throw e;
          log.push("KeyError");
        }
      }
      deepEqual(log, python[i], JSON.stringify(cases[i]));
    }
  },
});

Deno.test("HTTPMessage: Headers round trip keeps each Set-Cookie", () => {
  const headers = new Headers();
  headers.append("Set-Cookie", "a=1");
  headers.append("Set-Cookie", "b=2");
  headers.append("X-Y", "z");
  const msg = HTTPMessage.fromHeaders(headers);
  deepEqual(msg.get_all("set-cookie"), ["a=1", "b=2"]);
  equal(msg.toHeaders().getSetCookie().length, 2);
  equal(msg.as_string(), "x-y: z\nset-cookie: a=1\nset-cookie: b=2\n\n");
  equal(String(msg), msg.as_string());
});

Deno.test("HTTPMessage.as_string: a folded value's line break is written as Python's str(msg) writes it", () => {
  // CPython 3.13: a request header "X-Tab: a\r\n\tb" prints as below.
  const msg = new HTTPMessage([["X-Tab", "a\r\n\tb"], ["B", "c"]]);
  equal(msg.get("X-Tab"), "a\r\n\tb");
  equal(msg.as_string(), "X-Tab: a\n\tb\nB: c\n\n");
});

Deno.test("HTTPMessage: a default type without a slash has no subtype (Python's IndexError)", () => {
  const msg = new HTTPMessage();
  msg.set_default_type("bogus");
  equal(msg.get_content_type(), "bogus");
  throws(() => msg.get_content_subtype(), {
    name: "RangeError",
    message: "list index out of range",
  });
});

Deno.test("HTTPMessage: a Headers object is copied; get gives the first value, as Python's", () => {
  const headers = new Headers({ "Content-Type": "text/plain", Accept: "a" });
  headers.append("Set-Cookie", "a=1");
  headers.append("Set-Cookie", "b=2");
  const msg = new HTTPMessage(headers);
  equal(msg.get("content-type"), "text/plain");
  equal(msg.has("ACCEPT"), true);
  // Python's get: the first of the repeats, never them joined.
  equal(msg.get("set-cookie"), "a=1");
  deepEqual(msg.get_all("set-cookie"), ["a=1", "b=2"]);
  headers.set("Accept", "b");
  equal(msg.get("accept"), "a");
  msg.add_header("X", "1");
  deepEqual(msg.keys(), [
    "accept",
    "content-type",
    "set-cookie",
    "set-cookie",
    "X",
  ]);
});

Deno.test("HTTPMessage: names that change length or leave ASCII when lower-cased match as in Python", () => {
  // Checked against CPython 3.13's http.client.HTTPMessage.
  const msg = new HTTPMessage([
    ["\u0130d", "1"], // İ lower-cases to two characters, "i" and U+0307
    ["\u212Aey", "2"], // the Kelvin sign lower-cases to an ASCII "k"
    ["Accept", "3"],
  ]);
  equal(msg.get("i\u0307d"), "1");
  equal(msg.get("\u0130D"), "1");
  equal(msg.get("key"), "2");
  equal(msg.get("KEY"), "2");
  equal(msg.get("accepT"), "3");
  equal(msg.get("acc"), null);
  equal(msg.has("i\u0307d"), true);
  deepEqual(msg.get_all("\u0130d"), ["1"]);
  msg.replace_header("KEY", "two");
  equal(msg.get("\u212Aey"), "two");
  msg.delete("I\u0307D");
  equal(msg.get("\u0130d"), null);
  equal(msg.length, 2);
});

Deno.test("get_boundary, get_content_disposition and the default type, as Python's Message gives them", () => {
  // Each checked against CPython 3.13's http.client.HTTPMessage.
  const cases: [[string, string][], (string | null)[]][] = [
    [[["Content-Type", 'multipart/form-data; boundary="--xy;z"']], [
      "--xy;z",
      null,
      "multipart/form-data",
    ]],
    [[["Content-Type", "multipart/form-data; boundary=abc  "]], [
      "abc",
      null,
      "multipart/form-data",
    ]],
    [[["Content-Type", "multipart/mixed; boundary*=utf-8''a%20b"]], [
      "a b",
      null,
      "multipart/mixed",
    ]],
    [[["Content-Disposition", "  INLINE\x85 "]], [
      null,
      "inline",
      "text/plain",
    ]],
    // Python's strip() takes NEL off too; JavaScript's trim() does not.
    [[["Content-Type", "text/html \x85"]], [null, null, "text/html"]],
    [[], [null, null, "text/plain"]],
  ];
  for (const [fields, expected] of cases) {
    const msg = new HTTPMessage(fields);
    deepEqual([
      msg.get_boundary(),
      msg.get_content_disposition(),
      msg.get_content_type(),
    ], expected);
  }
  equal(new HTTPMessage().get_boundary("none"), "none");
  const digest = new HTTPMessage([["Content-Type", "bogus"]]);
  equal(digest.get_default_type(), "text/plain");
  digest.set_default_type("message/rfc822");
  // An invalid Content-Type still reads as text/plain (CPython 3.13).
  equal(digest.get_content_type(), "text/plain");
  const bare = new HTTPMessage();
  bare.set_default_type("message/rfc822");
  equal(bare.get_content_type(), "message/rfc822");
  equal(bare.get_content_maintype(), "message");
});

Deno.test("add_header writes parameters as Python's _formatparam: RFC 2231 for non-ASCII, a bare name for an empty value", () => {
  const msg = new HTTPMessage();
  msg.add_header("Content-Disposition", "attachment", {
    filename: "naïve.txt",
    empty: "",
    none: null,
    plain: "a b",
    paren: "x(y)",
  });
  equal(
    msg.get("content-disposition"),
    `attachment; filename*=utf-8''na%C3%AFve.txt; empty; none; plain="a b"; paren="x(y)"`,
  );
  // quote(safe="") escapes all but letters, digits and _.-~ (CPython 3.13).
  const marks = new HTTPMessage();
  marks.add_header("A", "b", { f: "naïve (1)!*.txt" });
  equal(marks.get("A"), "b; f*=utf-8''na%C3%AFve%20%281%29%21%2A.txt");
  throws(() => marks.add_header("X", "y", { a: "\ud800é" }), {
    name: "UnicodeEncodeError",
  });
});

Deno.test("a message over fetch Headers answers names Headers refuses as absent", () => {
  const msg = new HTTPMessage(new Headers([["X", "1"]]));
  equal(msg.get("x a", "default"), "default");
  equal(msg.get(""), null);
  equal(msg.has("é"), false);
  equal(msg.get("X"), "1");
});

Deno.test("HTTPMessage: optional parameters by Python's keywords too, as msg.get_param('name', header='content-disposition')", () => {
  const msg = new HTTPMessage([
    ["Content-Type", 'text/plain; charset="UTF-8"'],
    ["Content-Disposition", 'attachment; filename="a.txt"'],
  ]);
  equal(msg.get("X", { failobj: "none" }), "none");
  deepEqual(msg.get_all("X", { failobj: [] }), []);
  equal(msg.get_param("filename", { header: "content-disposition" }), "a.txt");
  equal(msg.get_param("charset", { unquote: false }), '"UTF-8"');
  equal(msg.get_param("x", "-", { header: "content-disposition" }), "-");
  deepEqual(msg.get_params({ header: "content-disposition" }), [
    ["attachment", ""],
    ["filename", "a.txt"],
  ]);
  equal(new HTTPMessage().get_params({ failobj: 0 }), 0);
  equal(
    new HTTPMessage().get_content_charset({ failobj: "latin-1" }),
    "latin-1",
  );
  equal(
    new HTTPMessage().get_filename({ failobj: "index.html" }),
    "index.html",
  );
  equal(new HTTPMessage().get_boundary({ failobj: "b" }), "b");
  equal(msg.as_string({ unixfrom: true }), msg.as_string());
  // A plain object that is not all keywords is the value itself, as a
  // dict is in Python.
  deepEqual(msg.get("X", {}), {});
  deepEqual(msg.get("X", { a: 1 }), { a: 1 });
});

Deno.test("HTTPMessage: a bad call is Python's TypeError, whether or not the header is there", () => {
  const msg = new HTTPMessage([["Content-Type", "text/plain"]]);
  // Calls the types refuse.
  type Loose = (...a: unknown[]) => unknown;
  const loose = msg as unknown as Record<
    "get" | "get_all" | "get_params" | "as_string",
    Loose
  >;
  for (const name of ["Content-Type", "X"]) {
    throws(() => loose.get(name, 1, { failobj: 2 }), {
      name: "TypeError",
      message: "get() got multiple values for argument 'failobj'",
    });
    throws(() => loose.get_all(name, 1, 2), {
      name: "TypeError",
      message: /get_all\(\) takes at most 1 optional/,
    });
  }
  throws(() => msg.get_param("charset", "-", { headr: "x" } as never), {
    name: "TypeError",
    message: "get_param() got an unexpected keyword argument 'headr'",
  });
  throws(() => loose.get_params(null, "content-type", true, 1), {
    name: "TypeError",
    message: /get_params\(\) takes at most 3 optional/,
  });
  throws(() => loose.as_string(false, 0, null, 1), {
    name: "TypeError",
    message: /as_string\(\) takes at most 3 optional/,
  });
  throws(() => msg.as_string({ maxheaderlen: 78 }), {
    name: "RangeError",
    message: /maxheaderlen 78 is not supported/,
  });
  throws(() => loose.as_string({ policy: {} }), {
    name: "TypeError",
    message: /policy is not supported/,
  });
});
