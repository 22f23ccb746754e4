/**
 * Random differential: printf-style format strings and arguments assembled
 * at random (literal text with quotes, control, non-ASCII and astral
 * characters; every conversion `s r a d i u x X o e E f F g G c %`; the
 * flags `- + space # 0`; literal and `*` widths and precisions; `hlL` length
 * modifiers; `%(key)` mapping keys, nested parentheses included; strings,
 * safe ints, bigints beyond 2^53, floats at rounding ties, beyond 1e21 and
 * subnormal, NaN and ±Infinity, booleans, null, bytes and lists as values)
 * go to CPython 3.13's `format % args`, all in one `python3` process, and to
 * our `percentFormat`. The outcomes must be equal: the same string, or the
 * error class the README's error table maps Python's to (`TypeError` stays;
 * a malformed format's `ValueError` is a `TypeError`, an out-of-range one
 * such as `width too big` a `RangeError`; `OverflowError` and `KeyError` are
 * `RangeError`s) with Python's message, a missing key reading
 * `format key not found: <repr of the key>`. Some cases are broken on
 * purpose: too few or too many arguments, unknown conversion characters,
 * incomplete formats and keys, missing keys, a tuple where a mapping is
 * needed, `%c` out of range, `*` arguments of the wrong type or size.
 *
 * Left out, as the port documents or cannot express: `-0.0` (a JavaScript
 * `-0` is the safe integer 0, Python's `int`, here), a whole mapping printed
 * by `%s` when a key looks like an array index (plain objects put those
 * first; no such key is generated), widths and precisions big enough for
 * a MemoryError (a `RangeError` here), and a low surrogate on its own (which
 * JavaScript would pair with a high one before it; lone high surrogates stay
 * in).
 *
 * The seed is fixed, so a run is repeatable; `DIFF_SEED=n` explores another
 * and the failure message names the seed and each differing case. Ignored
 * when CPython 3.13 is absent.
 */
import { ok } from "node:assert/strict";
import { percentFormat } from "../../_util/percent_format.ts";
import { havePython313, pythonOutput } from "../_python.ts";
import { type Pick, randomSource, testSeed } from "../_random.ts";

const DEFAULT_SEED = 20260611;
const CASES = 1500;

/**
 * A value as the Python side rebuilds it: `["n"]` None, `["b", v]` bool,
 * `["i", "digits"]` int, `["f", "repr"]` float, `["s", v]` str,
 * `["y", "hex"]` bytes, `["l", [...]]` list.
 */
type Encoded =
  | ["n"]
  | ["b", boolean]
  | ["i" | "f" | "s" | "y", string]
  | ["l", Encoded[]];

/** One case: the format, and a tuple or a mapping (as ordered pairs). */
interface Case {
  f: string;
  a?: Encoded[];
  m?: [string, Encoded][];
}

/** An outcome: `["ok", text]`, or an error's class and message. */
type Outcome = [kind: string, text: string];

const PY_EVAL = `
import json, sys

def dec(t):
    k = t[0]
    if k == "n": return None
    if k == "b": return t[1]
    if k == "i": return int(t[1])
    if k == "f": return float(t[1])
    if k == "s": return t[1]
    if k == "y": return bytes.fromhex(t[1])
    if k == "l": return [dec(x) for x in t[1]]
    raise AssertionError(t)

out = []
for case in json.load(sys.stdin):
    if "m" in case:
        args = {key: dec(value) for key, value in case["m"]}
    else:
        args = tuple(dec(value) for value in case["a"])
    try:
        out.append(["ok", case["f"] % args])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
json.dump(out, sys.stdout)
`;

/** Python's `ValueError`s for a value out of range (the rest: malformed). */
const RANGE_VALUE_ERRORS = new Set([
  "cannot convert float NaN to integer",
  "width too big",
  "precision too big",
]);

/** What our `percentFormat` must give for Python's `outcome`. */
function expected([kind, text]: Outcome): Outcome {
  switch (kind) {
    case "ok":
    case "TypeError":
      return [kind, text];
    case "ValueError":
      return [RANGE_VALUE_ERRORS.has(text) ? "RangeError" : "TypeError", text];
    case "OverflowError":
      return ["RangeError", text];
    case "KeyError": // str(KeyError(k)) is repr(k)
      return ["RangeError", `format key not found: ${text}`];
    default:
      return [`(Python's ${kind})`, text];
  }
}

// ---------------------------------------------------------------------------
// Random pieces.

const BYTES = Array.from({ length: 256 }, (_, i) => i);

/** Random numbers built from `pick`. */
class Random {
  constructor(readonly pick: Pick) {}
  u32(): number {
    const b = () => this.pick(BYTES);
    return ((b() << 24) | (b() << 16) | (b() << 8) | b()) >>> 0;
  }
  /** An integer in [lo, hi] (a span below 2^32). */
  int(lo: number, hi: number): number {
    return lo + this.u32() % (hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  /** A bigint of up to `words` 32-bit words, either sign. */
  big(words: number): bigint {
    let n = 0n;
    for (let i = this.int(1, words); i > 0; i--) {
      n = (n << 32n) | BigInt(this.u32());
    }
    return this.chance(0.5) ? -n : n;
  }
}

const CHARS = [
  "a",
  "Z",
  " ",
  "'",
  '"',
  "\\",
  "\n",
  "\t",
  "\r",
  "\x00",
  "\x1b",
  "\x7f",
  "\x80",
  "\x85",
  "\xa0",
  "\xad",
  "\u00e9",
  "\u00df",
  "\u0301",
  "\u0378",
  "\u1680",
  "\u2028",
  "\u200b",
  "\u3000",
  "\ufeff",
  "\ue000",
  "\u4e2d",
  "\ud800", // a lone high surrogate
  "\u{1f600}",
  "\u{1fbf0}",
  "\u{e0001}",
  "\u{2ebf0}",
  "\u{31350}",
  "\u{10ffff}",
  "%",
  "(",
  ")",
];

/** A code point that is not a surrogate. */
function codePoint(r: Random): string {
  const range = r.pick([[0x20, 0x7e], [0x80, 0x2fff], [0, 0x10ffff]]);
  const cp = r.int(range[0]!, range[1]!);
  return String.fromCodePoint(cp >= 0xd800 && cp <= 0xdfff ? cp + 0x800 : cp);
}

function randomString(r: Random): string {
  let s = "";
  for (let n = r.pick([0, 1, 1, 2, 3, 5, 8]); n > 0; n--) {
    s += r.chance(0.6) ? r.pick(CHARS) : codePoint(r);
  }
  return s;
}

const SPECIAL_INTS: (number | bigint)[] = [
  0,
  1,
  -1,
  8,
  65,
  255,
  -255,
  0xd7ff,
  0xd800,
  0x10ffff,
  0x110000,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2n ** 53n,
  -(2n ** 53n),
  2n ** 63n,
  2n ** 64n,
  10n ** 20n,
  -(10n ** 30n),
];

function randomInt(r: Random): number | bigint {
  const c = r.int(0, 9);
  if (c < 3) return r.int(-20, 300);
  if (c < 5) return r.pick(SPECIAL_INTS);
  if (c < 8) return r.int(-1_000_000, 1_000_000);
  const n = r.big(4);
  // Beyond 2^53 it stays a bigint; within, either form is a Python int.
  return n > -(2n ** 53n) && n < 2n ** 53n && r.chance(0.5) ? Number(n) : n;
}

const SPECIAL_FLOATS = [
  0.5,
  1.5,
  2.5,
  -2.5,
  0.125,
  0.375,
  -1.25,
  9.5,
  99.5,
  999999.5,
  0.05,
  0.1,
  0.1 + 0.2,
  1 / 3,
  2 / 3,
  2.675,
  1.005,
  123.456,
  3.14159,
  9.999999,
  1e-4,
  1e-5,
  1e-7,
  1e15 + 0.125,
  1e16,
  9007199254740993,
  1e21,
  -1e21,
  1e22,
  9.999999999999999e22,
  2 ** 70,
  1.5e300,
  1.7976931348623157e308,
  2.2250738585072014e-308,
  5e-324,
  -5e-324,
  NaN,
  Infinity,
  -Infinity,
];

function randomFloat(r: Random): number {
  let x: number;
  switch (r.int(0, 7)) {
    case 0:
    case 1:
      x = r.pick(SPECIAL_FLOATS);
      break;
    case 2:
    case 6: // exact ties at some precision (k places for m / 2^k)
      x = r.int(-(2 ** 20), 2 ** 20) /
        2 ** r.pick([1, 2, 3, 4, 7, r.int(1, 60)]);
      break;
    case 3:
      x = r.int(-1_000_000, 1_000_000) / 10 ** r.int(0, 10);
      break;
    case 4: // 1e21 and beyond, where JavaScript switches to exponents
      x = r.int(1, 99_999) * 10 ** r.int(17, 40) * r.pick([1, -1]);
      break;
    case 5: { // any double, subnormals included
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, r.chance(0.3) ? r.u32() & 0x800fffff : r.u32());
      view.setUint32(4, r.u32());
      x = view.getFloat64(0);
      break;
    }
    default:
      x = (r.u32() / 2 ** 32) * 10 ** r.int(-8, 8) * r.pick([1, -1]);
  }
  // -0 is the int 0 here (see the module doc).
  return Object.is(x, -0) ? 0 : x;
}

function randomValue(r: Random, conv: string): unknown {
  const c = r.int(0, 99);
  if ("diuxXoeEfFgG".includes(conv) && c >= 6) {
    // Mostly numbers: a wrong type would end most cases of several.
    if (c < 9) return r.chance(0.5);
    if (c < 12) return randomString(r);
    const float = "eEfFgG".includes(conv) ? c < 75 : c >= 88;
    return float ? randomFloat(r) : randomInt(r);
  }
  if (c < 2) return null;
  if (c < 5) return r.chance(0.5);
  if (c < 6) {
    return Uint8Array.from({ length: r.int(0, 3) }, () => r.pick(BYTES));
  }
  if (c < 8 && conv !== "c") {
    return Array.from({ length: r.int(0, 2) }, () => randomValue(r, "s"));
  }
  if (conv === "c") {
    return r.pick([
      () => randomInt(r),
      () => r.pick([-1, 0, 0x10ffff, 0x110000, -(2n ** 64n), 2n ** 64n]),
      () => r.int(0, 0xd7ff),
      () => r.int(0, 0xd7ff),
      () => r.int(0xe000, 0x10ffff),
      () => r.int(0xe000, 0x10ffff),
      () => r.pick(CHARS),
      () => r.pick(CHARS),
      () => codePoint(r),
      () => randomString(r),
      () => randomFloat(r),
    ])();
  }
  return r.pick([randomString, randomString, randomInt, randomFloat])(r);
}

const CONVERSIONS = [..."sradiuxXoeEfFgGc"];
const UNKNOWN = ["y", "b", "k", "\u00e9", "\u{1f600}", "\x1f", "\x7f", "\n"];
/** Formats cut short, placed at the end of a format. */
const INCOMPLETE = ["%", "%5", "%-", "%.", "%#0", "%l", "%(", "%(a", "%(a)"];
const KEYS = [
  "a",
  "b",
  "code",
  "message",
  "\u00e9",
  "x y",
  "",
  "a(b)",
  "(a)",
  "((b))",
  "f(o)(o)",
  "\u{1f600}",
  "%",
];
/** Sizes beyond Python's C types, refused before anything is built. */
const HUGE_WIDTHS = ["9223372036854775808", "99999999999999999999"];
const HUGE_PRECISIONS = ["2147483648", "99999999999999999999"];

function randomWidth(r: Random): string {
  const c = r.int(0, 99);
  if (c < 55) return "";
  if (c < 85) return String(r.int(0, 30));
  if (c < 98) return "*";
  return r.pick(HUGE_WIDTHS);
}

function randomPrecision(r: Random, conv: string): string {
  const c = r.int(0, 99);
  if (c < 50) return "";
  if (c < 62) return "." + r.int(0, 3);
  if (c < 70) return "." + r.int(0, 20);
  if (c < 75) return ".";
  if (c < 85) return ".*";
  if (c < 92) return "." + r.int(20, 130);
  if (c < 97 && "eEfFgG".includes(conv)) return "." + r.int(300, 1100);
  // An int's precision beyond INT_MAX - 3 is an OverflowError.
  if (c < 98 && "diuxXo".includes(conv)) {
    return "." + r.int(2 ** 31 - 3, 2 ** 31 - 1);
  }
  if (c < 98) return "." + r.int(0, 6);
  return "." + r.pick(HUGE_PRECISIONS);
}

function starWidth(r: Random): unknown {
  if (r.chance(0.85)) return r.int(-12, 25);
  return r.pick<unknown>([
    true,
    false,
    1.5,
    "3",
    null,
    2n ** 63n,
    -(2n ** 63n),
    -(2n ** 63n) - 1n,
  ]);
}

function starPrecision(r: Random, conv: string): unknown {
  if (r.chance(0.85)) return r.int(-5, 25);
  return r.pick<unknown>([
    true,
    false,
    2.5,
    null,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    "diuxXo".includes(conv) ? 2 ** 31 - 1 : 7,
  ]);
}

/** One case: a format and the values for it (an array or a mapping). */
function randomCase(r: Random): [string, unknown[] | Record<string, unknown>] {
  const mapping = r.chance(0.25);
  const args: unknown[] = [];
  const map: Record<string, unknown> = {};
  let format = "";
  for (let n = r.int(0, 4); n > 0; n--) {
    if (r.chance(0.5)) format += randomString(r).replaceAll("%", "%%");
    if (r.chance(0.04)) {
      format += r.pick(["%%", "%5%", "%-3%", "%(a)%"]);
      continue;
    }
    const known = r.chance(0.98);
    const conv = known ? r.pick(CONVERSIONS) : r.pick(UNKNOWN);
    let spec = "";
    for (let f = r.pick([0, 0, 1, 1, 2, 3]); f > 0; f--) {
      spec += r.pick([..."-+ #0"]);
    }
    const width = randomWidth(r);
    const precision = randomPrecision(r, conv);
    spec += width + precision + r.pick(["", "", "", "", "", "l", "h", "L"]);
    if (mapping ? r.chance(0.85) : r.chance(0.01)) {
      const key = r.chance(0.03) ? "(" : r.pick(KEYS);
      format += `%(${key})${spec}${conv}`;
      // Now and then the key is missing; a tuple case fails at the key.
      if (r.chance(0.97)) map[key] = randomValue(r, conv);
    } else {
      format += `%${spec}${conv}`;
      if (width === "*") args.push(starWidth(r));
      if (precision === ".*") args.push(starPrecision(r, conv));
      args.push(randomValue(r, conv));
    }
  }
  if (r.chance(0.3)) format += randomString(r).replaceAll("%", "%%");
  if (r.chance(0.04)) format += r.pick(INCOMPLETE);
  if (mapping) {
    // Unused keys, shown when a conversion without a key prints the whole.
    if (r.chance(0.2)) map[r.pick(KEYS)] = randomValue(r, "s");
    return [format, map];
  }
  // One argument too few or too many. The last goes, so that no value moves
  // into a `*` (a random int as a width may need more memory than there is).
  if (r.chance(0.06)) args.pop();
  if (r.chance(0.06)) args.push(randomValue(r, "s"));
  return [format, args];
}

function encode(value: unknown): Encoded {
  if (value === null) return ["n"];
  if (typeof value === "boolean") return ["b", value];
  if (typeof value === "bigint") return ["i", String(value)];
  if (typeof value === "number") {
    // String(x) is "NaN", "Infinity", "1e+21", ...: all read by float().
    return [Number.isSafeInteger(value) ? "i" : "f", String(value)];
  }
  if (typeof value === "string") return ["s", value];
  if (value instanceof Uint8Array) {
    return [
      "y",
      [...value].map((b) => b.toString(16).padStart(2, "0")).join(""),
    ];
  }
  if (Array.isArray(value)) return ["l", value.map(encode)];
  throw new Error(`cannot encode ${String(value)}`);
}

function ours(
  format: string,
  args: unknown[] | Record<string, unknown>,
): Outcome {
  try {
    return ["ok", percentFormat(format, args)];
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
}

Deno.test({
  name: "random differential: percentFormat against CPython 3.13's str % args",
  ignore: !havePython313(),
}, async () => {
  const seed = testSeed(DEFAULT_SEED);
  const r = new Random(randomSource(seed));
  const cases = Array.from({ length: CASES }, () => randomCase(r));
  const encoded: Case[] = cases.map(([f, args]) =>
    Array.isArray(args)
      ? { f, a: args.map(encode) }
      : { f, m: Object.entries(args).map(([k, v]) => [k, encode(v)]) }
  );
  const result = await pythonOutput(["-c", PY_EVAL], { input: encoded });
  const theirs: Outcome[] = JSON.parse(
    new TextDecoder().decode(result.stdout),
  );
  ok(theirs.length === CASES, `python answered ${theirs.length} cases`);
  const differing: string[] = [];
  const kinds = new Map<string, number>();
  for (const [i, [format, args]] of cases.entries()) {
    const python = theirs[i]!;
    kinds.set(python[0], (kinds.get(python[0]) ?? 0) + 1);
    const want = expected(python);
    const got = ours(format, args);
    if (got[0] !== want[0] || got[1] !== want[1]) {
      differing.push(
        `  #${i} ${JSON.stringify(encoded[i])}\n` +
          `    python: ${JSON.stringify(python)}\n` +
          `    ours:   ${JSON.stringify(got)}`,
      );
    }
  }
  // Varied enough to mean something: mostly results, and every kind of
  // error among Python's outcomes.
  ok((kinds.get("ok") ?? 0) > CASES / 3, `outcomes: ${[...kinds]}`);
  for (const kind of ["TypeError", "ValueError", "KeyError", "OverflowError"]) {
    ok(kinds.has(kind), `no ${kind} among ${[...kinds]}`);
  }
  if (differing.length > 0) {
    throw new Error(
      `seed ${seed}: ${differing.length} of ${CASES} cases differ:\n` +
        differing.slice(0, 20).join("\n"),
    );
  }
});
