/**
 * Random differential: responses assembled at random from the pieces a
 * client's parser has to get right (status lines, line ends, repeated and
 * empty headers, `Content-Length` short, long, repeated and malformed,
 * `Transfer-Encoding` with and without `Content-Length`, chunk extensions,
 * trailers, bad and missing chunk sizes, error statuses with bodies) are
 * served from a raw socket and fetched by CPython 3.13's urllib
 * (`_diff_client.py`) and by ours; the outcomes (status, reason, body or
 * error class, `IncompleteRead.partial`, key headers) must be equal.
 *
 * The documented differences (README, "urllib.request") stay out of the
 * pieces: a status code other than three digits, trailing whitespace in a
 * header value, folded lines, a body after 204 or 304, and lengths beyond a
 * buffer. One response in ten gets a header line that the README's rule for
 * malformed lines refuses (no colon, a blank before it, an empty name, a bare
 * CR): ours must fail it with `HTTPException` (unless the status line was
 * refused first, then as CPython), whatever CPython makes of it.
 * The seed is fixed, so a run is repeatable; `DIFF_SEED=n` explores
 * another. Ignored when CPython 3.13 is absent.
 */
import { deepEqual, ok } from "node:assert/strict";
import { havePython313, pythonOutput } from "../../_python.ts";
import { type Outcome, runOurs, type Scenario } from "./_diff_scenarios.ts";
import { startRaw } from "./_site.ts";
import { type Pick, randomSource, testSeed } from "../../_random.ts";

const DEFAULT_SEED = 20261126;
const CASES = 150;

const STATUS_LINES = [
  "HTTP/1.1 200 OK",
  "HTTP/1.1 200 OK",
  "HTTP/1.0 200 OK",
  "HTTP/1.1 200",
  "HTTP/1.1 200 ",
  "HTTP/1.1  200 OK",
  "HTTP/1.1\t200 OK",
  "HTTP/1.1 200 OK\tfine",
  "HTTP/1.1 200 Caf\u00e9",
  "HTTP/1.1 203 Fine And Dandy",
  "HTTP/1.1 299 Odd",
  "HTTP/1.1 404 Not Found",
  "HTTP/1.1 418 Teapot",
  "HTTP/1.1 500 Oops",
  "HTTP/1.2 200 OK",
  "HTTP/1 200 OK",
  "HTTP/2 200 OK",
  "http/1.1 200 OK",
  "ICY 200 OK",
  "HTTP/1.1 20 OK",
  "HTTP/1.1 2000 OK",
  "",
];
const LINE_ENDS = ["\r\n", "\r\n", "\r\n", "\n"];
const BODIES = ["", "ok", "hello world", "x".repeat(100)];
const OTHER_HEADERS = [
  "Content-Type: text/plain",
  "Content-Type: text/html; charset=latin-1",
  "X-A: 1",
  "X-A: 2",
  "X-Empty:",
  "X-Latin: caf\u00e9",
  "X-Tab:\tv",
  "Connection: close",
  "Connection: keep-alive",
  "Set-Cookie: a=b",
];
/**
 * Header lines CPython reads on and this client refuses (README,
 * "urllib.request", one rule for malformed lines): no colon, a blank before
 * it, an empty name, a bare CR inside. A response with one must fail with
 * `HTTPException`, whatever CPython makes of it.
 */
const MALFORMED_HEADERS = ["NoColon", "X-Sp : v", ": empty name", "X-CR: a\rb"];
const FRAMINGS = [
  "length",
  "length",
  "length",
  "none",
  "chunked",
  "chunked",
  "short",
  "long",
  "malformed",
  "twice",
  "twice-differing",
  "chunked-and-length",
] as const;
const CHUNKINGS = [
  "plain",
  "plain",
  "extension",
  "upper-case",
  "trailer",
  "no-last-chunk",
  "bad-size",
  "lf",
  "leading-zeros",
] as const;

/** The body in chunks, written as `how` says. */
function chunked(body: string, how: typeof CHUNKINGS[number]): string {
  const end = how === "lf" ? "\n" : "\r\n";
  let size = body.length.toString(16);
  if (how === "upper-case") size = size.toUpperCase();
  if (how === "leading-zeros") size = "00" + size;
  let out = "";
  if (body !== "") {
    out += size + (how === "extension" ? ";name=value" : "") + end + body +
      end;
  }
  if (how === "bad-size") return out + "zz" + end;
  if (how === "no-last-chunk") return out;
  return out + "0" + end + (how === "trailer" ? "X-T: 1" + end : "") + end;
}

/** One random response, and whether it has a malformed header line. */
function randomResponse(pick: Pick): { text: string; malformed: boolean } {
  const end = pick(LINE_ENDS);
  const body = pick(BODIES);
  const headers: string[] = [];
  for (let n = pick([0, 1, 2]); n > 0; n--) headers.push(pick(OTHER_HEADERS));
  const malformed = pick([...Array(9).fill(false), true]);
  if (malformed) headers.push(pick(MALFORMED_HEADERS));
  let payload = body;
  const te = (value: string) => {
    headers.push(`Transfer-Encoding: ${value}`);
    payload = chunked(body, pick(CHUNKINGS));
  };
  switch (pick(FRAMINGS)) {
    case "length":
      headers.push(`Content-Length: ${body.length}`);
      break;
    case "none":
      break;
    case "chunked":
      te(pick(["chunked", "Chunked", "gzip, chunked", "identity"]));
      break;
    case "short": // the body breaks off
      headers.push(`Content-Length: ${body.length + 5}`);
      break;
    case "long": // more bytes than announced
      headers.push(`Content-Length: ${Math.max(0, body.length - 1)}`);
      break;
    case "malformed":
      headers.push(
        `Content-Length: ${pick(["-1", "abc", "1 2", "0x2", ""])}`,
      );
      break;
    case "twice":
      headers.push(`Content-Length: ${body.length}`);
      headers.push(`Content-Length: ${body.length}`);
      break;
    case "twice-differing":
      headers.push(`Content-Length: ${body.length}`);
      headers.push(`Content-Length: ${body.length + 1}`);
      break;
    case "chunked-and-length":
      headers.push(`Content-Length: ${body.length}`);
      te("chunked");
      break;
  }
  // The framing headers take a random place among the others.
  for (let i = headers.length - 1; i > 0; i--) {
    const j = pick([...Array(i + 1).keys()]);
    [headers[i], headers[j]] = [headers[j]!, headers[i]!];
  }
  const text = pick(STATUS_LINES) + end +
    headers.map((h) => h + end).join("") + end + payload;
  return { text, malformed };
}

/** What a refused response comes to: `HTTPException`, nothing else. */
const REFUSED: Outcome = {
  name: "",
  status: null,
  reason: null,
  url: null,
  body_b64: null,
  headers: null,
  error: "HTTPException",
  error_code: null,
  error_reason: null,
  partial_b64: null,
};

Deno.test({
  name:
    "random differential: urllib.request against CPython 3.13 on hostile responses",
  ignore: !havePython313(),
}, async () => {
  const seed = testSeed(DEFAULT_SEED);
  const pick = randomSource(seed);
  const replies = Array.from({ length: CASES }, () => randomResponse(pick));
  await using server = startRaw((request) => {
    const n = /^GET \/(\d+) /.exec(request)?.[1];
    return n === undefined ? null : replies[Number(n)]?.text ?? null;
  });
  const list: Scenario[] = replies.map((_, i) => ({
    name: String(i),
    url: `${server.base}/${i}`,
    timeout: 5,
  }));
  const script = new URL("./_diff_client.py", import.meta.url).pathname;
  const result = await pythonOutput([script], { input: list });
  const theirs = JSON.parse(new TextDecoder().decode(result.stdout));
  const differing: string[] = [];
  const outcomes = new Set<string>();
  for (const [i, scenario] of list.entries()) {
    const ours = await runOurs(scenario);
    const python = (theirs as Outcome[])[i]!;
    outcomes.add(python.error ?? String(python.status));
    try {
      // A status line refused first is refused alike.
      const statusRefused = python.error === "BadStatusLine" ||
        python.error === "UnknownProtocol";
      if (replies[i]!.malformed && !statusRefused) {
        deepEqual(ours, { ...REFUSED, name: scenario.name });
      } else deepEqual({ ...ours, url: null }, { ...python, url: null });
    } catch {
      differing.push(
        `  #${i} ${JSON.stringify(replies[i]!.text.slice(0, 160))}\n` +
          `    python: ${JSON.stringify(python)}\n` +
          `    ours:   ${JSON.stringify(ours)}`,
      );
    }
  }
  // Varied enough to mean something: answers, HTTP errors, cut bodies and
  // refused status lines among Python's outcomes.
  for (const seen of ["200", "HTTPError", "IncompleteRead", "BadStatusLine"]) {
    ok(outcomes.has(seen), `no ${seen} among ${[...outcomes]}`);
  }
  if (differing.length > 0) {
    throw new Error(
      `seed ${seed}: ${differing.length} of ${CASES} responses differ:\n` +
        differing.slice(0, 20).join("\n"),
    );
  }
});
