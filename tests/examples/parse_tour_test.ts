/**
 * examples/parse_tour.ts prints what its Python twin prints, line by line.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { ROOT, runExample } from "./_run.ts";
import { havePython313, pythonOutput } from "../_python.ts";

Deno.test("parse_tour.ts prints Python's reprs for the tutorial's calls", async () => {
  const { code, stdout, stderr } = await runExample("parse_tour.ts", [], {
    permissions: [],
  });
  equal(code, 0, stderr);
  const lines = stdout.split("\n");
  // The values the tutorial (seed 000) shows, as Python shows them.
  for (
    const expected of [
      "urlparse(doc): ParseResult(scheme='https', netloc='docs.python.org', path='/3/library/urllib.parse.html', params='', query='highlight=params', fragment='url-parsing')",
      "parse_qs(shop): {'q': ['apple'], 'category': ['fruits'], 'page': ['1']}",
      "urlencode(dict): 'spam=1&eggs=2&bacon=0'",
      "quote: 'hello%2C%20world%21'",
      "unquote: '你好'",
      "urljoin(base, '../g'): 'http://a/b/g'",
    ]
  ) {
    ok(lines.includes(expected), `missing line: ${expected}\n${stdout}`);
  }
});

Deno.test({
  name: "parse_tour.ts and parse_tour.py print the same lines",
  ignore: !havePython313(),
}, async () => {
  const py = await pythonOutput(["examples/parse_tour.py"], { cwd: ROOT });
  const decoder = new TextDecoder();
  const { code, stdout, stderr } = await runExample("parse_tour.ts", [], {
    permissions: [],
  });
  equal(code, 0, stderr);
  // Line arrays, so a failure shows which lines differ.
  deepEqual(stdout.split("\n"), decoder.decode(py.stdout).split("\n"));
});
