/**
 * RobotFileParser.parse and the questions it answers: the behaviour cases of
 * CPython's test_robotparser (same inputs, same expectations), plus a
 * differential run of extra inputs against CPython 3.13.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  Entry,
  RequestRate,
  RobotFileParser,
  RuleLine,
} from "../../../urllib/robotparser/mod.ts";
import { havePython313, pythonJson } from "../../_python.ts";

/** Python's `io.StringIO(text).readlines()`: lines keep their "\n". */
function readlines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

type Url = string | [agent: string, url: string];

interface Case {
  robots_txt: string;
  agent?: string;
  good?: Url[];
  bad?: Url[];
  site_maps?: string[] | null;
  /** Only for the cases CPython checks rates on. */
  rates?: { crawl_delay: number | null; request_rate: RequestRate | null };
}

function check(name: string, c: Case): void {
  Deno.test(`robots.txt: ${name}`, () => {
    const parser = new RobotFileParser();
    parser.parse(readlines(c.robots_txt));
    const agentAndUrl = (u: Url): [string, string] =>
      typeof u === "string" ? [c.agent ?? "test_robotparser", u] : u;
    for (const u of c.good ?? []) {
      const [agent, url] = agentAndUrl(u);
      equal(parser.can_fetch(agent, url), true, `good: ${agent} ${url}`);
    }
    for (const u of c.bad ?? []) {
      const [agent, url] = agentAndUrl(u);
      equal(parser.can_fetch(agent, url), false, `bad: ${agent} ${url}`);
    }
    deepEqual(parser.site_maps(), c.site_maps ?? null);
    if (c.rates) {
      for (const u of [...(c.good ?? []), ...(c.bad ?? [])]) {
        const [agent] = agentAndUrl(u);
        equal(parser.crawl_delay(agent), c.rates.crawl_delay, agent);
        const rate = parser.request_rate(agent);
        deepEqual(rate, c.rates.request_rate, agent);
        if (c.rates.request_rate !== null) {
          ok(rate instanceof RequestRate);
          equal(rate.requests, c.rates.request_rate.requests);
          equal(rate.seconds, c.rates.request_rate.seconds);
        }
      }
    }
  });
}

check("user-agent wildcard", {
  robots_txt: `User-agent: *
Disallow: /cyberworld/map/ # This is an infinite virtual URL space
Disallow: /tmp/ # these will soon disappear
Disallow: /foo.html
    `,
  good: ["/", "/test.html"],
  bad: ["/cyberworld/map/index.html", "/tmp/xxx", "/foo.html"],
});

check("crawl delay and custom agent", {
  robots_txt: `# robots.txt for http://www.example.com/

User-agent: *
Crawl-delay: 1
Request-rate: 3/15
Disallow: /cyberworld/map/ # This is an infinite virtual URL space

# Cybermapper knows where to go.
User-agent: cybermapper
Disallow:
    `,
  good: ["/", "/test.html", ["cybermapper", "/cyberworld/map/index.html"]],
  bad: ["/cyberworld/map/index.html"],
});

check("sitemaps", {
  robots_txt: `# robots.txt for http://www.example.com/

User-agent: *
Sitemap: http://www.gstatic.com/s2/sitemaps/profiles-sitemap.xml
Sitemap: http://www.google.com/hostednews/sitemap_index.xml
Request-rate: 3/15
Disallow: /cyberworld/map/ # This is an infinite virtual URL space

    `,
  good: ["/", "/test.html"],
  bad: ["/cyberworld/map/index.html"],
  site_maps: [
    "http://www.gstatic.com/s2/sitemaps/profiles-sitemap.xml",
    "http://www.google.com/hostednews/sitemap_index.xml",
  ],
});

check("reject all robots", {
  robots_txt: `# go away
User-agent: *
Disallow: /
    `,
  bad: ["/cyberworld/map/index.html", "/", "/tmp/"],
});

check("empty file", {
  robots_txt: "",
  good: ["/foo"],
  rates: { crawl_delay: null, request_rate: null },
});

const figtree = `User-agent: figtree
Crawl-delay: 3
Request-rate: 9/30
Disallow: /tmp
Disallow: /a%3cd.html
Disallow: /a%2fb.html
Disallow: /%7ejoe/index.html
    `;
const figtreeBad = [
  "/tmp",
  "/tmp.html",
  "/tmp/a.html",
  "/a%3cd.html",
  "/a%3Cd.html",
  "/a%2fb.html",
  "/~joe/index.html",
];

check("crawl delay and request rate", {
  robots_txt: figtree,
  agent: "figtree",
  good: [["figtree", "/foo.html"]],
  bad: figtreeBad,
  rates: { crawl_delay: 3, request_rate: new RequestRate(9, 30) },
});

check("a different agent string naming figtree", {
  robots_txt: figtree,
  agent: "FigTree Robot libwww-perl/5.04",
  good: [["figtree", "/foo.html"]],
  bad: figtreeBad,
  rates: { crawl_delay: 3, request_rate: new RequestRate(9, 30) },
});

check("invalid request rate", {
  robots_txt: `User-agent: *
Disallow: /tmp/
Disallow: /a%3Cd.html
Disallow: /a/b.html
Disallow: /%7ejoe/index.html
Crawl-delay: 3
Request-rate: 9/banana
    `,
  good: ["/tmp"],
  bad: [
    "/tmp/",
    "/tmp/a.html",
    "/a%3cd.html",
    "/a%3Cd.html",
    "/a/b.html",
    "/%7Ejoe/index.html",
  ],
});

check("invalid crawl delay", {
  robots_txt: `User-Agent: *
Disallow: /.
Crawl-delay: pears
    `,
  good: ["/foo.html"],
});

check("another invalid request rate; Allow and Disallow together", {
  robots_txt: `User-agent: Googlebot
Allow: /folder1/myfile.html
Disallow: /folder1/
Request-rate: whale/banana
    `,
  agent: "Googlebot",
  good: ["/folder1/myfile.html"],
  bad: ["/folder1/anotherfile.html"],
});

const ordering = `User-agent: Googlebot
Disallow: /

User-agent: Googlebot-Mobile
Allow: /
    `;

check("user-agent ordering", {
  robots_txt: ordering,
  agent: "Googlebot",
  bad: ["/something.jpg"],
});
check("user-agent ordering (Googlebot-Mobile matches Googlebot first)", {
  robots_txt: ordering,
  agent: "Googlebot-Mobile",
  bad: ["/something.jpg"],
});

check("Google URL ordering", {
  robots_txt: `User-agent: Googlebot
Allow: /folder1/myfile.html
Disallow: /folder1/
    `,
  agent: "googlebot",
  good: ["/folder1/myfile.html"],
  bad: ["/folder1/anotherfile.html"],
});

check("disallowed query string", {
  robots_txt: `User-agent: *
Disallow: /some/path?name=value
    `,
  good: ["/some/path"],
  bad: ["/some/path?name=value"],
});

check("the first * entry is obeyed", {
  robots_txt: `User-agent: *
Disallow: /some/path

User-agent: *
Disallow: /another/path
    `,
  good: ["/another/path"],
  bad: ["/some/path"],
});

check("empty query string", {
  robots_txt: `User-agent: *
Allow: /some/path?
Disallow: /another/path?
    `,
  good: ["/some/path?"],
  bad: ["/another/path?"],
});

check("default entry", {
  robots_txt: `User-agent: *
Crawl-delay: 1
Request-rate: 3/15
Disallow: /cyberworld/map/
    `,
  good: ["/", "/test.html"],
  bad: ["/cyberworld/map/index.html"],
  rates: { crawl_delay: 1, request_rate: new RequestRate(3, 15) },
});

Deno.test("robots.txt: str(parser) lists entries with the default entry last", () => {
  const parser = new RobotFileParser();
  parser.parse(readlines(`User-agent: *
Crawl-delay: 1
Request-rate: 3/15
Disallow: /cyberworld/map/ # This is an infinite virtual URL space

# Cybermapper knows where to go.
User-agent: cybermapper
Disallow: /some/path
    `));
  equal(
    String(parser),
    `User-agent: cybermapper
Disallow: /some/path

User-agent: *
Crawl-delay: 1
Request-rate: 3/15
Disallow: /cyberworld/map/`,
  );
});

Deno.test("robots.txt: nothing is allowed before the rules are read; mtime and modified", () => {
  const parser = new RobotFileParser("http://example.com/robots.txt");
  equal(parser.host, "example.com");
  equal(parser.path, "/robots.txt");
  equal(parser.mtime(), 0);
  equal(parser.can_fetch("*", "http://example.com/"), false);
  equal(parser.crawl_delay("*"), null);
  equal(parser.request_rate("*"), null);
  const before = Date.now() / 1000;
  parser.modified();
  ok(parser.mtime() >= before && parser.mtime() <= Date.now() / 1000 + 1);
  // modified() alone marks the (empty) rules as read.
  equal(parser.can_fetch("*", "http://example.com/"), true);
  parser.set_url("https://other.test:8443/x/robots.txt");
  equal(parser.url, "https://other.test:8443/x/robots.txt");
  equal(parser.host, "other.test:8443");
  deepEqual([...new RequestRate(2, 10)], [2, 10]);
  equal(String(new RequestRate(2, 10)), "RequestRate(requests=2, seconds=10)");
});

Deno.test("RobotFileParser keeps Python's entries, default_entry and sitemaps, which can_fetch reads", () => {
  // The values CPython 3.13 gives for the same lines.
  const rp = new RobotFileParser();
  rp.parse([
    "User-agent: *",
    "Disallow: /tmp",
    "",
    "User-agent: FooBot",
    "User-agent: BarBot",
    "Crawl-delay: 2",
    "Request-rate: 3/15",
    "Allow: /tmp/ok",
    "Disallow: /",
    "Sitemap: http://h/a.xml",
    "Sitemap: http://h/b.xml",
    "",
    "User-agent: *",
    "Disallow: /second-default",
  ]);
  equal(rp.entries.length, 1);
  const [entry] = rp.entries;
  ok(entry instanceof Entry);
  deepEqual(entry.useragents, ["FooBot", "BarBot"]);
  equal(entry.delay, 2);
  equal(String(entry.req_rate), "RequestRate(requests=3, seconds=15)");
  deepEqual(
    entry.rulelines.map((line) => [line.path, line.allowance]),
    [["/tmp/ok", true], ["/", false]],
  );
  ok(entry.rulelines[0] instanceof RuleLine);
  equal(entry.applies_to("barbot/1.0"), true);
  equal(entry.allowance("/tmp/ok/x"), true);
  equal(entry.allowance("/x"), false);
  // The first `*` entry is the default; a second one is dropped.
  deepEqual(rp.default_entry?.useragents, ["*"]);
  deepEqual(rp.default_entry?.rulelines.map(String), ["Disallow: /tmp"]);
  deepEqual(rp.sitemaps, ["http://h/a.xml", "http://h/b.xml"]);
  equal(rp.site_maps(), rp.sitemaps);
  // The attributes are the parser's state, as in Python: changing them
  // changes the answers.
  rp.default_entry = null;
  equal(rp.can_fetch("Other", "/tmp"), true);
  rp.entries.length = 0;
  equal(rp.can_fetch("FooBot", "/x"), true);
  const added = new Entry();
  added.useragents.push("*");
  added.rulelines.push(new RuleLine("/no", false));
  rp.entries.push(added);
  equal(rp.can_fetch("Any", "/no/1"), false);
  equal(rp.can_fetch("Any", "/yes"), true);
  equal(String(rp), "User-agent: *\nDisallow: /no");
});

Deno.test("robots.txt: blank lines end an entry only when truly empty (not a lone newline)", () => {
  // With splitlines() a blank line is "" and closes the entry; with
  // readlines() it is "\n" and does not, exactly as in Python.
  const text = "User-agent: a\nDisallow: /x\n\nDisallow: /y\n";
  const split = new RobotFileParser();
  split.parse(text.split("\n"));
  equal(split.can_fetch("a", "/y"), true);
  const kept = new RobotFileParser();
  kept.parse(readlines(text));
  equal(kept.can_fetch("a", "/y"), false);
});

// ---------------------------------------------------------------------------
// Differential: extra inputs through CPython's RobotFileParser.

Deno.test({
  name: "RobotFileParser agrees with CPython 3.13 on extra inputs",
  ignore: !havePython313(),
}, async () => {
  const files = [
    "User-agent: *\nDisallow: /a b\nAllow: /%E4%BD%A0/\nDisallow: /\u4f60/private",
    "user-AGENT :  Bot \n  disallow : /x # c\nCRAWL-DELAY: 10\nrequest-rate: 1 / 5\n",
    "Disallow: /before-agent\nUser-agent: *\nDisallow: /after",
    "User-agent: one\nUser-agent: two\nDisallow: /shared\n\nUser-agent: *\nAllow: /",
    "User-agent: *\nDisallow: *\n",
    "User-agent: *\r\nDisallow: /crlf\r\n\r\nSitemap: /s.xml\r\n",
    "User-agent: *\nDisallow: /q?a=1&b=2\nDisallow: /p;params\nDisallow: /f#frag",
    "User-agent: Bot\nCrawl-delay: 3.5\nRequest-rate: 1/2/3\nDisallow: /\nUser-agent: *\nDisallow:",
    "\ufeffUser-agent: *\nDisallow: /bom",
    "User-agent: *\nDisallow: /%\nDisallow: /%zz\nDisallow: /%2F",
  ];
  const questions: [string, string][] = [
    ["*", "/"],
    ["*", "/a b"],
    ["*", "/a%20b"],
    ["*", "/\u4f60/"],
    ["*", "/%E4%BD%A0/private"],
    ["Bot/1.0", "/x"],
    ["bot", "/x/y"],
    ["two", "/shared/1"],
    ["one", "/other"],
    ["*", "/crlf"],
    ["*", "/q?a=1&b=2"],
    ["*", "/p;params"],
    ["*", "/f"],
    ["*", "http://example.com/after"],
    ["*", "/bom"],
    ["*", "/%"],
    ["*", "/%2F"],
    ["*", ""],
    ["Other", "/anything"],
  ];
  const script = `
import json, sys
from urllib.robotparser import RobotFileParser
data = json.load(sys.stdin)
out = []
for text in data["files"]:
    for lines in (text.splitlines(), text.splitlines(True)):
        p = RobotFileParser()
        p.parse(lines)
        rate = lambda a: (lambda r: None if r is None else [r.requests, r.seconds])(p.request_rate(a))
        out.append({
            "fetch": [p.can_fetch(a, u) for a, u in data["questions"]],
            "delay": [p.crawl_delay(a) for a, _ in data["questions"]],
            "rate": [rate(a) for a, _ in data["questions"]],
            "maps": p.site_maps(),
            "str": str(p),
            "entries": [
                [e.useragents, [[l.path, l.allowance] for l in e.rulelines],
                 e.delay, None if e.req_rate is None else list(e.req_rate)]
                for e in p.entries + [p.default_entry] if e is not None],
            "sitemaps": p.sitemaps,
        })
print(json.dumps(out))
`;
  type PyRow = {
    fetch: boolean[];
    delay: (number | null)[];
    rate: unknown[];
    maps: unknown;
    str: string;
    entries: unknown[];
    sitemaps: string[];
  };
  const python = await pythonJson<PyRow[]>(script, {
    input: { files, questions },
  });
  let i = 0;
  for (const text of files) {
    const pyLines = text.split(/\r\n|\n/);
    if (pyLines.at(-1) === "") pyLines.pop();
    for (const lines of [pyLines, text.match(/[^\n]*\n|[^\n]+$/g) ?? []]) {
      const p = new RobotFileParser();
      p.parse(lines);
      const expected: PyRow = python[i++]!;
      const label = JSON.stringify(text);
      deepEqual(
        questions.map(([a, u]) => p.can_fetch(a, u)),
        expected.fetch,
        label,
      );
      deepEqual(
        questions.map(([a]) => p.crawl_delay(a)),
        expected.delay,
        label,
      );
      deepEqual(
        questions.map(([a]) => {
          const r = p.request_rate(a);
          return r === null ? null : [r.requests, r.seconds];
        }),
        expected.rate,
        label,
      );
      deepEqual(p.site_maps(), expected.maps, label);
      equal(String(p), expected.str, label);
      const entries = p.default_entry === null
        ? p.entries
        : [...p.entries, p.default_entry];
      deepEqual(
        entries.map((e) => [
          e.useragents,
          e.rulelines.map((line) => [line.path, line.allowance]),
          e.delay,
          e.req_rate === null ? null : [...e.req_rate],
        ]),
        expected.entries,
        label,
      );
      deepEqual(p.sitemaps, expected.sitemaps, label);
    }
  }
});

Deno.test("robots.txt: user-agents match case-insensitively by Python's Unicode 15.1, not V8's newer one", () => {
  // U+1C89 and U+1C8A became a case pair after Unicode 15.1: to Python
  // 3.13 they are two unrelated letters.
  const parser = new RobotFileParser();
  parser.parse(["User-agent: \u1c89", "Disallow: /"]);
  equal(parser.can_fetch("\u1c89", "/x"), false);
  equal(parser.can_fetch("\u1c8a", "/x"), true);
  equal(parser.can_fetch("A\u1c89Bot", "/x"), false);
});

Deno.test("RobotFileParser(url=''): the url by keyword too; no second argument", () => {
  const parser = new RobotFileParser({ url: "http://h.test/robots.txt" });
  equal(parser.url, "http://h.test/robots.txt");
  equal(parser.host, "h.test");
  equal(new RobotFileParser().url, "");
  const loose = RobotFileParser as unknown as new (...a: unknown[]) => object;
  throws(() => new loose("http://h.test/robots.txt", 1), {
    name: "TypeError",
    message: /RobotFileParser\(\) takes at most 1 optional argument/,
  });
});

Deno.test("RequestRate is Python's named tuple: _fields, indexes, length, _replace, _asdict, _make", () => {
  const rate = new RequestRate(3, 15);
  deepEqual(RequestRate._fields, ["requests", "seconds"]);
  deepEqual(rate._fields, ["requests", "seconds"]);
  deepEqual([rate[0], rate[1], rate.length], [3, 15, 2]);
  deepEqual([...rate], [3, 15]);
  equal(
    String(rate._replace({ seconds: 5 })),
    "RequestRate(requests=3, seconds=5)",
  );
  deepEqual(rate._asdict(), { requests: 3, seconds: 15 });
  // Printed as Python's repr, as the urllib.parse results are.
  equal(Deno.inspect(rate), "RequestRate(requests=3, seconds=15)");
  equal(
    String(RequestRate._make([1, 2])),
    "RequestRate(requests=1, seconds=2)",
  );
  throws(() => rate._replace({ bogus: 1 } as never), {
    name: "TypeError",
    message: "Got unexpected field names: ['bogus']",
  });
  throws(() => RequestRate._make([1]), {
    name: "TypeError",
    message: "Expected 2 arguments, got 1",
  });
  throws(() => new (RequestRate as new (...a: unknown[]) => object)(1), {
    name: "TypeError",
    message:
      "RequestRate.__new__() missing 1 required positional argument: 'seconds'",
  });
});

Deno.test("robots.txt: Crawl-delay and Request-rate read ASCII digits only, and never throw (README)", () => {
  // CPython 3.13 reads "٣" as 3, and its parse() raises ValueError on the
  // values its isdigit() passes but int() refuses ("²", "①", "5\x1c").
  const read = (line: string) => {
    const parser = new RobotFileParser();
    parser.parse(["User-agent: *", line, "Disallow: /x"]);
    equal(parser.can_fetch("bot", "/x"), false, line);
    const rate = parser.request_rate("bot");
    return [parser.crawl_delay("bot"), rate === null ? null : [...rate]];
  };
  deepEqual(read("Crawl-delay: \u0663"), [null, null]);
  deepEqual(read("Crawl-delay: \u00b2"), [null, null]);
  deepEqual(read("Crawl-delay: \u2460"), [null, null]);
  deepEqual(read("Request-rate: \u00b9/5"), [null, null]);
  deepEqual(read("Crawl-delay: 5%1C"), [5, null]);
  deepEqual(read("Request-rate: 1%1C/5"), [null, [1, 5]]);
  deepEqual(read("Crawl-delay: 99999999999999999999"), [1e20, null]);
});
