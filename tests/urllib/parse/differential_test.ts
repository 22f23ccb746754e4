/**
 * Differential test: every call recorded from CPython 3.13 (its own
 * test_urlparse plus seeded random inputs, see fixtures/generate.py) must
 * give the same result in our urllib.parse: the same value (type, fields,
 * and the netloc attributes of results), or an error of exactly the class
 * the README's table maps CPython's to, with CPython's message (except the
 * few cases in MESSAGE_DIFFERENCES, each with its reason).
 */
import { deepEqual, equal, fail } from "node:assert/strict";
import * as parse from "../../../urllib/parse/mod.ts";
import {
  type Case,
  FIXTURE_URL,
  loadFixture,
  MESSAGE_DIFFERENCES,
  type Module,
  replayAll,
  summarize,
} from "./_differential_replay.ts";
import { haveReferencePython, pythonOutput } from "../../_python.ts";

const fixture = await loadFixture();
const mod = parse as Module;

function byFunction(cases: readonly Case[]): Map<string, Case[]> {
  const groups = new Map<string, Case[]>();
  for (const c of cases) {
    const group = groups.get(c.fn) ?? [];
    group.push(c);
    groups.set(c.fn, group);
  }
  return groups;
}

Deno.test("differential: the fixture is big enough to mean something", () => {
  const ids = new Set(fixture.cases.map((c) => c.id));
  equal(ids.size, fixture.cases.length, "case ids must be unique");
  if (fixture.cases.length < 10_000) {
    fail(`only ${fixture.cases.length} cases in ${FIXTURE_URL.pathname}`);
  }
});

Deno.test("differential: each listed message difference is a recorded error", () => {
  const errors = new Set(fixture.cases.filter((c) => c.err).map((c) => c.id));
  deepEqual(
    Object.keys(MESSAGE_DIFFERENCES).filter((id) => !errors.has(id)),
    [],
  );
});

for (const [fn, cases] of byFunction(fixture.cases)) {
  Deno.test(`differential: ${fn} agrees with CPython 3.13 (${cases.length} cases)`, () => {
    const mismatches = replayAll(cases, mod);
    if (mismatches.length > 0) fail(summarize(mismatches, cases.length));
  });
}

// The fixture must be what the generator writes today, or it has rotted.
Deno.test({
  name: "differential: fixtures/cpython_3_13.json is what generate.py writes",
  ignore: !haveReferencePython(),
  async fn() {
    const generator = new URL("./fixtures/generate.py", import.meta.url);
    const dir = await Deno.makeTempDir({ prefix: "pyport_fixture_" });
    try {
      const out = `${dir}/cpython_3_13.json`;
      await pythonOutput([generator.pathname, "--out", out]);
      const fresh = await Deno.readTextFile(out);
      const committed = await Deno.readTextFile(FIXTURE_URL);
      if (fresh !== committed) {
        fail(
          "the committed fixture differs from generate.py's output; rerun " +
            "`PYENV_VERSION=3.13.0 python3 tests/urllib/parse/fixtures/generate.py`",
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
