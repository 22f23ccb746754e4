/**
 * Differential test of `_util/py_repr.ts`: every value recorded from
 * CPython 3.13 by fixtures/py_repr.py must print as Python printed it.
 */
import { deepEqual, equal, fail } from "node:assert/strict";
import {
  isPrintable,
  pyAscii,
  pyRepr,
  pyStr,
  PyTuple,
  pyTuple,
  reprFloat,
} from "../../_util/py_repr.ts";
import { NONPRINTABLE_RANGES } from "../../_util/_py_printable_table.ts";
import { havePython313, pythonOutput } from "../_python.ts";

type Tagged =
  | { str: string }
  | { bytes: string }
  | { int: string }
  | { float: number | "nan" | "inf" | "-inf" }
  | { bool: boolean }
  | { none: null }
  | { list: Tagged[] }
  | { tuple: Tagged[] }
  | { dict: [Tagged, Tagged][] }
  | { error: [string, string] };

interface Case {
  value: Tagged;
  repr: string;
  str: string;
  ascii: string;
}

interface Fixture {
  header: { count: number; unicode: string };
  nonprintable: [number, number][];
  cases: Case[];
}

const GENERATOR = new URL("./fixtures/py_repr.py", import.meta.url);
const FIXTURE = new URL(
  "./fixtures/py_repr_cpython_3_13.json",
  import.meta.url,
);
const TABLE = new URL("../../_util/_py_printable_table.ts", import.meta.url);

const fixture: Fixture = JSON.parse(await Deno.readTextFile(FIXTURE));

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function floatOf(value: number | string): number {
  if (value === "nan") return NaN;
  if (value === "inf") return Infinity;
  if (value === "-inf") return -Infinity;
  return value as number;
}

/** The JavaScript value that stands for the tagged Python value. */
function decode(tagged: Tagged): unknown {
  if ("str" in tagged) return tagged.str;
  if ("bytes" in tagged) return hexBytes(tagged.bytes);
  if ("int" in tagged) {
    const n = BigInt(tagged.int);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  if ("float" in tagged) return floatOf(tagged.float);
  if ("bool" in tagged) return tagged.bool;
  if ("none" in tagged) return null;
  if ("list" in tagged) return tagged.list.map(decode);
  if ("tuple" in tagged) return new PyTuple(tagged.tuple.map(decode));
  if ("dict" in tagged) {
    return new Map(tagged.dict.map(([k, v]) => [decode(k), decode(v)]));
  }
  const [name, message] = tagged.error;
  const error = new Error(message);
  error.name = name;
  return error;
}

function kindOf(tagged: Tagged): string {
  return Object.keys(tagged)[0] as string;
}

Deno.test("py_repr: the fixture covers every kind of value", () => {
  equal(fixture.cases.length, fixture.header.count);
  const kinds = new Set(fixture.cases.map((c) => kindOf(c.value)));
  deepEqual([...kinds].sort(), [
    "bool",
    "bytes",
    "dict",
    "error",
    "float",
    "int",
    "list",
    "none",
    "str",
    "tuple",
  ]);
});

for (const kind of ["str", "bytes", "int", "float", "containers"]) {
  const cases = fixture.cases.filter((c) => {
    const k = kindOf(c.value);
    return kind === "containers"
      ? !["str", "bytes", "int", "float"].includes(k)
      : k === kind;
  });
  Deno.test(`py_repr: ${kind} prints as CPython 3.13 prints it (${cases.length} cases)`, () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const value = decode(c.value);
      const got = {
        repr: kind === "float" ? reprFloat(value as number) : pyRepr(value),
        str: kind === "float" ? reprFloat(value as number) : pyStr(value),
        ascii: kind === "float" ? reprFloat(value as number) : pyAscii(value),
      };
      for (const form of ["repr", "str", "ascii"] as const) {
        if (got[form] !== c[form]) {
          wrong.push(`${form}: want ${c[form]}, got ${got[form]}`);
        }
      }
      // A float JavaScript cannot tell from an int prints as an int.
      const float = kind === "float" ? value as number : NaN;
      if (!Number.isSafeInteger(float)) continue;
      if (pyRepr(float) !== String(BigInt(float))) {
        wrong.push(`pyRepr(${c.repr}) should print the int`);
      }
    }
    if (wrong.length > 0) {
      fail(
        `${wrong.length} of ${cases.length} differ:\n${
          wrong.slice(0, 20).join("\n")
        }`,
      );
    }
  });
}

Deno.test("py_repr: numbers are ints when safe integers, floats otherwise", () => {
  equal(pyRepr(3), "3");
  equal(pyRepr(-0), "0");
  equal(pyRepr(2 ** 53), "9007199254740992.0");
  equal(pyRepr(1e16), "1e+16");
  equal(pyRepr(0.1), "0.1");
  equal(pyRepr(10n ** 20n), "100000000000000000000");
});

Deno.test("py_repr: sets, plain objects, tuples and containers inside themselves", () => {
  equal(pyRepr(new Set()), "set()");
  equal(pyRepr(new Set([1, "a"])), "{1, 'a'}");
  equal(pyRepr({ a: [1], b: undefined }), "{'a': [1], 'b': None}");
  equal(pyRepr(pyTuple()), "()");
  equal(pyRepr(pyTuple(pyTuple(1))), "((1,),)");
  const list: unknown[] = [1];
  list.push(list);
  equal(pyRepr(list), "[1, [...]]");
  const dict: Record<string, unknown> = {};
  dict.me = dict;
  equal(pyRepr(dict), "{'me': {...}}");
  // The same object twice is not a cycle.
  const shared = [0];
  equal(pyRepr([shared, shared]), "[[0], [0]]");
});

Deno.test("py_repr: the printable table is the fixture's, and repr escapes exactly those code points", () => {
  const decoded: [number, number][] = [];
  let after = 0;
  const tokens = NONPRINTABLE_RANGES.trim().split(/\s+/);
  for (let i = 0; i < tokens.length; i += 2) {
    const first = after + parseInt(tokens[i] as string, 36);
    const last = first + parseInt(tokens[i + 1] as string, 36);
    decoded.push([first, last]);
    after = last + 1;
  }
  deepEqual(decoded, fixture.nonprintable);
  let range = 0;
  const wrong: number[] = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    while ((fixture.nonprintable[range]?.[1] ?? Infinity) < cp) range++;
    const [first] = fixture.nonprintable[range] ?? [Infinity];
    if (isPrintable(cp) !== cp < first) wrong.push(cp);
  }
  deepEqual(wrong.slice(0, 10).map((cp) => cp.toString(16)), []);
});

Deno.test({
  name:
    "py_repr: the fixture and the table are what fixtures/py_repr.py writes",
  ignore: !havePython313(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_repr_" });
    try {
      const out = `${dir}/fixture.json`;
      const table = `${dir}/table.ts`;
      const args = [GENERATOR.pathname, "--out", out, "--table", table];
      const output = await pythonOutput(args);
      equal(output?.success, true, `python3 ${args.join(" ")} failed`);
      equal(await Deno.readTextFile(out), await Deno.readTextFile(FIXTURE));
      equal(await Deno.readTextFile(table), await Deno.readTextFile(TABLE));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
