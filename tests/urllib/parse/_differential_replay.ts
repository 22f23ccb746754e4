/**
 * Replays the CPython fixture (`fixtures/cpython_3_13.json`, written by
 * `fixtures/generate.py`) against our `urllib/parse` and reports every case
 * whose outcome differs. Shared by `differential_test.ts` and
 * `_differential_report.ts`.
 *
 * @module
 */

/** A JSON value as stored in the fixture. */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };

/** A Python exception as recorded: class, deciding base class, message. */
export type PyError = [cls: string, kind: string, message: string];

/** One recorded call and its CPython outcome. */
export interface Case {
  readonly id: string;
  readonly src: string;
  readonly fn: string;
  readonly args: Json[];
  readonly kw: Record<string, Json>;
  readonly ok?: Json;
  readonly err?: PyError;
}

/** The fixture file. */
export interface Fixture {
  readonly header: Record<string, Json>;
  readonly cases: Case[];
}

/** A difference between CPython and us, with everything needed to debug it. */
export interface Mismatch {
  readonly case: Case;
  /** Short category for grouping, e.g. `value`, `error class`, `attr port`. */
  readonly kind: string;
  readonly expected: Json;
  readonly actual: Json;
}

/**
 * A case we knowingly answer differently from CPython. Must stay empty
 * unless truly justified; every entry is reported to the lead.
 */
export interface DeliberateDifference {
  /** Case ids this entry covers. */
  readonly ids?: readonly string[];
  /** Or a predicate over cases. */
  readonly when?: (c: Case) => boolean;
  readonly reason: string;
}

/** Deliberate differences from CPython 3.13 (see {@linkcode DeliberateDifference}). */
export const DELIBERATE_DIFFERENCES: readonly DeliberateDifference[] = [];

/**
 * Cases whose error message differs from CPython's (the class still maps
 * exactly), by case id, each with why. Every other error message must be
 * CPython's, character for character.
 */
export const MESSAGE_DIFFERENCES: Readonly<Record<string, string>> = {
  "3e4571969285":
    "unquote(None): CPython's message comes from a failed `'%' in None` inside; ours names the argument and its type",
  "599bfec9b779":
    "unquote([]): CPython calls .split on the list (AttributeError); ours names the argument and its type",
  "9b25635f0347":
    "unquote_to_bytes(None): CPython calls .split on None (AttributeError); ours names the argument and its type",
  "17775dd6d9bb":
    "unquote_to_bytes([]): CPython calls .split on the list (AttributeError); ours names the argument and its type",
  "44caf66811d0":
    "urlunsplit of 3 parts: CPython's message is a tuple-unpacking error; ours says how many components it expects",
  "655abfc34b71":
    "urlunparse of 5 parts: CPython's message is a tuple-unpacking error; ours says how many components it expects",
};

/** Where the committed fixture lives. */
export const FIXTURE_URL = new URL(
  "./fixtures/cpython_3_13.json",
  import.meta.url,
);

/** Reads and parses a fixture file (the committed one by default). */
export async function loadFixture(url: URL = FIXTURE_URL): Promise<Fixture> {
  return JSON.parse(await Deno.readTextFile(url)) as Fixture;
}

type Fn = (...args: unknown[]) => unknown;
/** The module under test, looked up by Python function name. */
export type Module = Readonly<Record<string, unknown>>;

const RESULT_CLASSES = new Set([
  "SplitResult",
  "ParseResult",
  "DefragResult",
  "SplitResultBytes",
  "ParseResultBytes",
  "DefragResultBytes",
]);
const NETLOC_ATTRS = ["hostname", "port", "username", "password", "geturl"];
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

// ---------------------------------------------------------------------------
// Fixture values -> JavaScript arguments

function isJsonObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * Turns a fixture value into the argument a JavaScript caller would pass:
 * bytes become `Uint8Array`, dicts with plain string keys become plain
 * objects (others a `Map`, since objects reorder integer-like keys), and
 * `{"$fn": name}` becomes the function of that name and
 * `{"$new": cls, fields}` an instance of that result class.
 */
export function toArgument(value: Json, mod: Module): unknown {
  if (Array.isArray(value)) return value.map((v) => toArgument(v, mod));
  if (!isJsonObject(value)) return value;
  if (typeof value.$bytes === "string") return fromBase64(value.$bytes);
  if (typeof value.$fn === "string") return mod[value.$fn];
  if (typeof value.$new === "string") {
    const fields = toArgument(value.fields as Json, mod) as unknown[];
    const cls = mod[value.$new] as new (...fields: unknown[]) => unknown;
    return new cls(...fields);
  }
  if (Array.isArray(value.$dict)) {
    const pairs = value.$dict.map((pair) => {
      const [k, v] = pair as [Json, Json];
      return [toArgument(k, mod), toArgument(v, mod)] as const;
    });
    const plain = pairs.every(([k]) =>
      typeof k === "string" && !ARRAY_INDEX.test(k) && k !== "__proto__"
    );
    return plain ? Object.fromEntries(pairs) : new Map<unknown, unknown>(pairs);
  }
  throw new Error(`unknown fixture value ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------
// JavaScript results -> fixture-shaped values

function thrown(error: unknown): Json {
  if (error instanceof Error) {
    return { $throw: [error.constructor.name, error.message] };
  }
  return { $throw: ["(not an Error)", String(error)] };
}

function attribute(target: Record<string, unknown>, name: string): Json {
  try {
    if (name === "geturl") {
      const geturl = target.geturl;
      if (typeof geturl !== "function") return { $missing: "geturl()" };
      return describe(geturl.call(target));
    }
    if (!(name in target)) return { $missing: name };
    return describe(target[name]);
  } catch (error) {
    return thrown(error);
  }
}

function describeResult(value: object, name: string): Json {
  const record = value as Record<string, unknown>;
  const iterable = value as Partial<Iterable<unknown>>;
  const fields = typeof iterable[Symbol.iterator] === "function"
    ? [...(value as Iterable<unknown>)].map(describe)
    : { $missing: "iterator" };
  const names = name.startsWith("Defrag") ? ["geturl"] : NETLOC_ATTRS;
  const attrs: Record<string, Json> = {};
  for (const attr of names) attrs[attr] = attribute(record, attr);
  return { $result: name, fields, attrs };
}

function describeEntries(
  entries: Iterable<[unknown, unknown]>,
  objectKeyed: boolean,
): Json {
  const pairs = [...entries].map(([k, v]) => [describe(k), describe(v)]);
  return objectKeyed ? { $dict: pairs, $plainObject: true } : { $dict: pairs };
}

/** Describes a JavaScript value in the fixture's vocabulary. */
export function describe(value: unknown): Json {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === "string") return value;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") {
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (Array.isArray(value)) return value.map(describe);
  if (value instanceof Map) return describeEntries(value.entries(), false);
  if (typeof value === "object") {
    const name = value.constructor?.name ?? "";
    if (RESULT_CLASSES.has(name)) return describeResult(value, name);
    const proto = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) {
      return describeEntries(
        Object.entries(value as Record<string, unknown>),
        true,
      );
    }
    return { $object: `${name}: ${String(value)}` };
  }
  return { $other: `${typeof value}: ${String(value)}` };
}

// ---------------------------------------------------------------------------
// Comparison

/**
 * The one JavaScript error class a Python exception maps to, by the
 * README's table, decided per case: a ValueError is a RangeError when the
 * value is out of range (the port, max_num_fields) and a TypeError when it
 * is malformed; UnicodeEncodeError and UnicodeDecodeError keep their names
 * (our classes of those names extend TypeError); TypeError stays, and
 * AttributeError (only ever a wrong argument type here) is a TypeError.
 * An exception the table does not cover throws, failing the replay.
 */
export function expectedErrorClass(error: PyError): string {
  const [cls, kind, message] = error;
  switch (kind) {
    case "ValueError":
      return /out of range|max number of fields exceeded/i.test(message)
        ? "RangeError"
        : "TypeError";
    case "UnicodeError":
      return cls;
    case "TypeError":
    case "AttributeError":
      return "TypeError";
  }
  throw new Error(`no JavaScript class is mapped for Python's ${cls}`);
}

/** What differs between a recorded error and what we threw, if anything. */
function errorDifference(
  c: Case,
  expected: PyError,
  actual: Json,
): string | undefined {
  if (!isJsonObject(actual) || !Array.isArray(actual.$throw)) {
    return "returned instead of throwing";
  }
  const [cls, message] = actual.$throw as [string, string];
  const want = expectedErrorClass(expected);
  if (cls !== want) return `error class (want ${want})`;
  if (message !== expected[2] && !(c.id in MESSAGE_DIFFERENCES)) {
    return "error message";
  }
  return undefined;
}

// The order a plain object gives the same pairs: integer-like keys first,
// ascending, then the other keys in insertion order.
function objectOrder(pairs: Json[]): Json[] {
  const index = (pair: Json): number | undefined => {
    const key = (pair as Json[])[0];
    return typeof key === "string" && ARRAY_INDEX.test(key)
      ? Number(key)
      : undefined;
  };
  const integers = pairs.filter((p) => index(p) !== undefined)
    .sort((a, b) => (index(a) as number) - (index(b) as number));
  return [...integers, ...pairs.filter((p) => index(p) === undefined)];
}

/**
 * Whether an actual value (from {@linkcode describe}) equals the expected
 * one; an error inside (a result attribute that raises) is compared as
 * {@linkcode errorDifference} compares it, for case `c`.
 */
export function same(expected: Json, actual: Json, c: Case): boolean {
  if (expected === null || typeof expected !== "object") {
    return expected === actual;
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length &&
      expected.every((e, i) => same(e, actual[i] as Json, c));
  }
  if (Array.isArray(expected.$error)) {
    return errorDifference(c, expected.$error as PyError, actual) ===
      undefined;
  }
  if (!isJsonObject(actual)) return false;
  if (Array.isArray(expected.$dict)) {
    if (!Array.isArray(actual.$dict)) return false;
    // A plain object cannot keep Python's order of integer-like keys.
    const want = actual.$plainObject === true
      ? objectOrder(expected.$dict)
      : expected.$dict;
    return same(want, actual.$dict, c);
  }
  const keys = Object.keys(expected);
  return keys.length === Object.keys(actual).length &&
    keys.every((k) =>
      k in actual && same(expected[k] as Json, actual[k] as Json, c)
    );
}

function resultKind(c: Case, expected: Json, actual: Json): string {
  if (!isJsonObject(expected) || !isJsonObject(actual)) return "value";
  if (typeof expected.$result !== "string") return "value";
  if (actual.$result !== expected.$result) return "result class";
  if (!same(expected.fields as Json, actual.fields as Json, c)) {
    return "fields";
  }
  const want = expected.attrs as Record<string, Json>;
  const got = actual.attrs as Record<string, Json>;
  const bad = Object.keys(want).find((k) =>
    !same(want[k] as Json, got[k] as Json, c)
  );
  return bad === undefined ? "value" : `attr ${bad}`;
}

function compare(c: Case, actual: Json): Mismatch | undefined {
  if (c.err) {
    const kind = errorDifference(c, c.err, actual);
    return kind === undefined
      ? undefined
      : { case: c, kind, expected: { $error: c.err }, actual };
  }
  const expected = c.ok ?? null;
  if (same(expected, actual, c)) return undefined;
  const kind = isJsonObject(actual) && Array.isArray(actual.$throw)
    ? "threw unexpectedly"
    : resultKind(c, expected, actual);
  return { case: c, kind, expected, actual };
}

// ---------------------------------------------------------------------------
// Replay

/** Whether a case is covered by {@linkcode DELIBERATE_DIFFERENCES}. */
export function isDeliberate(c: Case): boolean {
  return DELIBERATE_DIFFERENCES.some((d) =>
    (d.ids?.includes(c.id) ?? false) || (d.when?.(c) ?? false)
  );
}

/** Runs one case against `mod`, returning its mismatch if any. */
export function replayCase(c: Case, mod: Module): Mismatch | undefined {
  const fn = mod[c.fn];
  if (typeof fn !== "function") {
    return {
      case: c,
      kind: "missing function",
      expected: c.fn,
      actual: { $missing: c.fn },
    };
  }
  let actual: Json;
  try {
    const args = c.args.map((a) => toArgument(a, mod));
    if (Object.keys(c.kw).length > 0) {
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.kw)) {
        options[k] = toArgument(v, mod);
      }
      args.push(options);
    }
    actual = describe((fn as Fn)(...args));
  } catch (error) {
    actual = thrown(error);
  }
  return compare(c, actual);
}

/** Replays every non-deliberate case; returns the mismatches in fixture order. */
export function replayAll(cases: readonly Case[], mod: Module): Mismatch[] {
  const out: Mismatch[] = [];
  for (const c of cases) {
    if (isDeliberate(c)) continue;
    const m = replayCase(c, mod);
    if (m) out.push(m);
  }
  return out;
}

function bytesLiteral(b64: string): string {
  let out = "";
  for (const b of fromBase64(b64)) {
    const c = String.fromCharCode(b);
    if (c === '"' || c === "\\") out += "\\" + c;
    else if (b >= 0x20 && b < 0x7f) out += c;
    else out += "\\x" + b.toString(16).padStart(2, "0");
  }
  return `b"${out}"`;
}

/** Renders a fixture-shaped value readably: bytes as `b"..."`, dicts as `{k: v}`. */
export function show(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (!isJsonObject(value)) return JSON.stringify(value);
  if (typeof value.$bytes === "string") return bytesLiteral(value.$bytes);
  if (Array.isArray(value.$dict)) {
    const pairs = value.$dict.map((p) => {
      const [k, v] = p as [Json, Json];
      return `${show(k)}: ${show(v)}`;
    });
    return `{${pairs.join(", ")}}`;
  }
  if (typeof value.$result === "string") {
    const attrs = Object.entries(value.attrs as Record<string, Json>)
      .map(([k, v]) => `${k}=${show(v)}`);
    return `${value.$result}${show(value.fields as Json)} {${
      attrs.join(", ")
    }}`;
  }
  if (Array.isArray(value.$error)) {
    const [cls, , message] = value.$error as PyError;
    return `raises ${cls}(${JSON.stringify(message)}) -> JS ${
      expectedErrorClass(value.$error as PyError)
    }`;
  }
  if (Array.isArray(value.$throw)) {
    const [cls, message] = value.$throw as string[];
    return `throws ${cls}(${JSON.stringify(message)})`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`);
  return `{${entries.join(", ")}}`;
}

function codePoint(ch: string | undefined): string {
  if (ch === undefined) return "(end)";
  const hex = (ch.codePointAt(0) as number).toString(16).toUpperCase();
  return `U+${hex.padStart(4, "0")} ${JSON.stringify(ch)}`;
}

// Look-alike characters (Unicode case and NFKC cases) need code points.
function firstDifference(expected: string, actual: string): string {
  const want = [...expected];
  const got = [...actual];
  let i = 0;
  while (i < want.length && want[i] === got[i]) i++;
  const context = want.slice(Math.max(0, i - 12), i).join("");
  return `after ${JSON.stringify(context)}: expected ${codePoint(want[i])}, ` +
    `got ${codePoint(got[i])}`;
}

/** Renders one mismatch with the call as Python would write it. */
export function formatMismatch(m: Mismatch): string {
  const c = m.case;
  const args = c.args.map(show);
  for (const [k, v] of Object.entries(c.kw)) args.push(`${k}=${show(v)}`);
  const expected = show(m.expected);
  const actual = show(m.actual);
  return [
    `[${c.id}] (${c.src}) ${m.kind}`,
    `  call:     ${c.fn}(${args.join(", ")})`,
    `  expected: ${expected}`,
    `  actual:   ${actual}`,
    `  differs   ${firstDifference(expected, actual)}`,
  ].join("\n");
}

/** A failure message: the total, counts by kind and the first `limit` mismatches. */
export function summarize(
  mismatches: readonly Mismatch[],
  total: number,
  limit = 30,
): string {
  const counts = new Map<string, number>();
  for (const m of mismatches) {
    const key = `${m.case.fn}: ${m.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = [
    `${mismatches.length} of ${total} cases differ from CPython:`,
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n}\t${k}`),
    `first ${Math.min(limit, mismatches.length)}:`,
    ...mismatches.slice(0, limit).map(formatMismatch),
  ];
  return lines.join("\n");
}
