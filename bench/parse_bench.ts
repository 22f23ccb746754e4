/**
 * urllib.parse benchmark: @pyport/web against CPython 3.13 on the same inputs,
 * in one run.
 *
 *     deno run -A bench/parse_bench.ts [--quick] [--count=N] [--passes=N] [--seed=N]
 *
 * The inputs are generated here, written to a temporary JSON file and timed by
 * `bench/parse_bench.py` too, so both sides see identical strings. Each side
 * warms up, then reports the fastest of several timed passes over all inputs,
 * taken in rounds over the operations.
 *
 * @module
 */

import { isDeepStrictEqual, parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import {
  parse_qsl,
  quote,
  unquote,
  urlencode,
  urljoin,
  urlparse,
  urlsplit,
} from "../urllib/parse/mod.ts";
import { makeParseInputs, type ParseInputs } from "./_parse_inputs.ts";

/** The speed-up over CPython that every operation is meant to reach. */
const GOAL = 5;
const FULL = { count: 50_000, passes: 5, warmups: 2 };
const QUICK = { count: 5_000, passes: 3, warmups: 1 };
const SAMPLE_SIZE = 2_000;
const DEFAULT_SEED = 20240324;
const PYTHON_SCRIPT = fileURLToPath(
  new URL("./parse_bench.py", import.meta.url),
);

interface Settings {
  count: number;
  passes: number;
  warmups: number;
  seed: number;
}

/** One timed operation: a pass over its whole input set, and sample outputs. */
interface Operation {
  name: string;
  size: number;
  pass(): void;
  sample(n: number): unknown[];
  /** Describes the first input the call throws on, if any. */
  firstFailure(): string | undefined;
}

interface PythonResult {
  python: string;
  ns_per_op: Record<string, number>;
  samples: Record<string, unknown[]>;
}

// Results are stored here so that V8 cannot prove a call's result unused and
// drop the allocation (escape analysis) or the call itself.
let sink: unknown;

// `call` serves the untimed work (samples, finding a failing input); the
// timed `pass` loop is written out per operation because V8 shares call-site
// feedback among closures of one function literal: one shared loop would make
// every call megamorphic and stop V8 from inlining it.
function define<T>(
  name: string,
  items: T[],
  call: (item: T) => unknown,
  pass: () => void,
): Operation {
  return {
    name,
    size: items.length,
    pass,
    sample: (n) => items.slice(0, n).map(call),
    firstFailure() {
      for (let i = 0; i < items.length; i++) {
        try {
          call(items[i] as T);
        } catch (error) {
          return `${name} threw "${error}" on input #${i}: ` +
            JSON.stringify(items[i]);
        }
      }
      return undefined;
    },
  };
}

function operations(inputs: ParseInputs): Operation[] {
  const { urls, joins, queries, forms, quotes, unquotes } = inputs;
  return [
    define("urlsplit", urls, (u) => {
      const r = urlsplit(u);
      return [r.scheme, r.netloc, r.path, r.query, r.fragment];
    }, () => {
      for (let i = 0; i < urls.length; i++) sink = urlsplit(urls[i] as string);
    }),
    define("urlparse", urls, (u) => {
      const r = urlparse(u);
      return [r.scheme, r.netloc, r.path, r.params, r.query, r.fragment];
    }, () => {
      for (let i = 0; i < urls.length; i++) sink = urlparse(urls[i] as string);
    }),
    define("urljoin", joins, ([b, r]) => urljoin(b, r), () => {
      for (let i = 0; i < joins.length; i++) {
        const pair = joins[i] as [string, string];
        sink = urljoin(pair[0], pair[1]);
      }
    }),
    define("parse_qsl", queries, (q) => parse_qsl(q), () => {
      for (let i = 0; i < queries.length; i++) {
        sink = parse_qsl(queries[i] as string);
      }
    }),
    define("urlencode", forms, (f) => urlencode(f), () => {
      for (let i = 0; i < forms.length; i++) {
        sink = urlencode(forms[i] as [string, string][]);
      }
    }),
    define("quote", quotes, (s) => quote(s), () => {
      for (let i = 0; i < quotes.length; i++) sink = quote(quotes[i] as string);
    }),
    define("unquote", unquotes, (s) => unquote(s), () => {
      for (let i = 0; i < unquotes.length; i++) {
        sink = unquote(unquotes[i] as string);
      }
    }),
  ];
}

// The WHATWG parser, timed for scale on the urlsplit inputs it accepts.
// Relative and scheme-relative references make it throw; they are counted
// and left out, since timing exceptions would say nothing about parsing.
function whatwgOperation(urls: string[]): Operation {
  return define("new URL()", urls, (u) => new URL(u).href, () => {
    for (let i = 0; i < urls.length; i++) sink = new URL(urls[i] as string);
  });
}

// Every input is valid for CPython (its side fails otherwise), so a throw
// here is a bug in the port: name the input instead of a bare stack trace.
function warmUp(op: Operation, passes: number): void {
  try {
    for (let i = 0; i < passes; i++) {
      sink = undefined;
      op.pass();
      if (sink === undefined) throw new Error(`${op.name} returned nothing`);
    }
  } catch (error) {
    const failure = op.firstFailure();
    if (failure === undefined) throw error;
    throw new Error(failure, { cause: error });
  }
}

/**
 * Returns each operation's ns per call in its fastest pass. Passes go round
 * the operations in turn, so a burst of other load on the machine hits one
 * pass of several operations rather than every pass of one; and since load
 * only ever adds time, the fastest pass is the least disturbed.
 */
function timeAll(ops: Operation[], settings: Settings): Map<string, number> {
  for (const op of ops) warmUp(op, settings.warmups);
  const best = new Map(ops.map((op) => [op.name, Infinity]));
  for (let round = 0; round < settings.passes; round++) {
    for (const op of ops) {
      const start = performance.now();
      op.pass();
      const ms = performance.now() - start;
      best.set(op.name, Math.min(best.get(op.name) as number, ms));
    }
  }
  return new Map(
    ops.map((op) => [op.name, (best.get(op.name) as number) * 1e6 / op.size]),
  );
}

/** Runs the CPython side on `document`, the JSON both sides read. */
async function runPython(document: string): Promise<PythonResult | string> {
  const file = await Deno.makeTempFile({
    prefix: "parse_bench_",
    suffix: ".json",
  });
  try {
    await Deno.writeTextFile(file, document);
    const command = new Deno.Command("python3", {
      args: [PYTHON_SCRIPT, file],
      env: { PYENV_VERSION: "3.13.0" },
      stdout: "piped",
      stderr: "piped",
    });
    let output: Deno.CommandOutput;
    try {
      output = await command.output();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "python3 not found";
      throw error;
    }
    const stderr = new TextDecoder().decode(output.stderr).trim();
    if (!output.success) {
      const reason = stderr.split("\n").at(-1) || `exit code ${output.code}`;
      return `PYENV_VERSION=3.13.0 python3 failed: ${reason}`;
    }
    return JSON.parse(new TextDecoder().decode(output.stdout)) as PythonResult;
  } finally {
    await Deno.remove(file);
  }
}

// Long outputs (a 20-pair urlencode) are cut to a window around the first
// character where they part, which is the part worth reading.
function aroundFirstDifference(a: string, b: string): [string, string] {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const start = Math.max(0, i - 50);
  const cut = (s: string) =>
    (start > 0 ? "..." : "") + s.slice(start, i + 50) +
    (s.length > i + 50 ? "..." : "");
  return [cut(a), cut(b)];
}

// A fast wrong answer is no result: compare the first outputs of each
// operation with CPython's and report any disagreement beside the timings.
function compareSamples(ops: Operation[], python: PythonResult): string[] {
  const lines: string[] = [];
  for (const op of ops) {
    const theirs = python.samples[op.name] ?? [];
    const ours = op.sample(theirs.length);
    const diffs = ours.flatMap((value, i) =>
      isDeepStrictEqual(value, theirs[i]) ? [] : [i]
    );
    if (diffs.length === 0) continue;
    const first = diffs[0] as number;
    const [ourText, theirText] = aroundFirstDifference(
      JSON.stringify(ours[first]),
      JSON.stringify(theirs[first]),
    );
    lines.push(
      `  ${op.name}: ${diffs.length} of ${ours.length} differ; ` +
        `first at input #${first}:\n    Deno:    ${ourText}\n    CPython: ${theirText}`,
    );
  }
  return lines;
}

function count(n: number): string {
  return n.toLocaleString("en");
}

function formatNs(ns: number | undefined): string {
  return ns === undefined ? "-" : ns.toFixed(1);
}

function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? "-" : `${ratio.toFixed(1)}x`;
}

interface Row {
  name: string;
  deno: number;
  python?: number | undefined;
  ratio?: number | undefined;
}

function table(rows: Row[]): string {
  const header = ["operation", "Deno ns/op", "CPython ns/op", "CPython/Deno"];
  const cells = rows.map((r) => [
    r.name,
    formatNs(r.deno),
    formatNs(r.python),
    formatRatio(r.ratio),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] as string).length))
  );
  const line = (c: string[]) =>
    c.map((v, i) =>
      i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number)
    ).join("  ");
  return [line(header), ...cells.map(line)].join("\n");
}

function parseSettings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      count: { type: "string" },
      passes: { type: "string" },
      seed: { type: "string" },
    },
  });
  const base = values.quick ? QUICK : FULL;
  const positive = (
    name: string,
    raw: string | undefined,
    fallback: number,
  ) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`--${name} must be a positive integer, got ${raw}`);
    }
    return n;
  };
  return {
    count: positive("count", values.count, base.count),
    passes: positive("passes", values.passes, base.passes),
    warmups: base.warmups,
    seed: positive("seed", values.seed, DEFAULT_SEED),
  };
}

async function main(args: string[]): Promise<void> {
  const settings = parseSettings(args);
  // Both sides read their inputs from the same JSON text. Besides making them
  // identical, this gives Deno flat strings, as read from a socket or a file:
  // the generator's concatenated strings (V8 ropes) split several times
  // slower and would make the port look slower than it is.
  const document = JSON.stringify({
    ...makeParseInputs(settings.count, settings.seed),
    passes: settings.passes,
    sample_size: SAMPLE_SIZE,
  });
  const inputs = JSON.parse(document) as ParseInputs;
  const ops = operations(inputs);
  const parseable = inputs.urls.filter((u) => URL.canParse(u));
  const whatwg = whatwgOperation(parseable);

  console.error(`timing @pyport/web on Deno ${Deno.version.deno}...`);
  const denoNs = timeAll([...ops, whatwg], settings);
  console.error("timing CPython...");
  const python = await runPython(document);
  const peer = typeof python === "string" ? undefined : python;

  const rows: Row[] = [];
  for (const op of ops) {
    const deno = denoNs.get(op.name) as number;
    const py = peer?.ns_per_op[op.name];
    rows.push({
      name: op.name,
      deno,
      python: py,
      ratio: py === undefined ? undefined : py / deno,
    });
    if (op.name === "urlsplit") {
      rows.push({
        name: "  new URL()",
        deno: denoNs.get(whatwg.name) as number,
      });
    }
  }

  const peerName = peer ? `CPython ${peer.python}` : "CPython 3.13";
  console.log(
    `urllib.parse: @pyport/web on Deno ${Deno.version.deno} vs ${peerName}; ` +
      `${count(settings.count)} distinct inputs per operation ` +
      `(seed ${settings.seed}), best of ${settings.passes} passes`,
  );
  console.log();
  console.log(table(rows));
  console.log();
  console.log(
    `new URL(): timed on the ${count(parseable.length)} urlsplit inputs it ` +
      `accepts; ${count(inputs.urls.length - parseable.length)} relative ` +
      `references make it throw. Shown for scale, not part of the goal.`,
  );
  if (!peer) {
    console.log(
      `NOTE: CPython 3.13 unavailable (${python}); Deno figures only, ` +
        `${GOAL}x goal not evaluated.`,
    );
    return;
  }
  const short = rows.filter((r) => r.ratio !== undefined && r.ratio < GOAL);
  console.log(
    short.length === 0
      ? `Goal (every operation >= ${GOAL}x faster than CPython): MET`
      : `Goal (every operation >= ${GOAL}x faster than CPython): NOT MET ` +
        `(${short.map((r) => `${r.name} ${formatRatio(r.ratio)}`).join(", ")})`,
  );
  const diffs = compareSamples(ops, peer);
  console.log(
    diffs.length === 0
      ? `Outputs: the first ${
        Math.min(SAMPLE_SIZE, settings.count)
      } results of every operation equal CPython's.`
      : `WARNING: outputs differ from CPython:\n${diffs.join("\n")}`,
  );
}

if (import.meta.main) {
  await main(Deno.args);
}
